import NotifyService
import MusterService

await ServiceMain.run(NotifyApp())
