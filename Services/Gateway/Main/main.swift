import GatewayService
import MusterService

await ServiceMain.run(GatewayApp())
