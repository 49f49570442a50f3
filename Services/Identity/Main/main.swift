import IdentityService
import MusterService

await ServiceMain.run(IdentityApp())
