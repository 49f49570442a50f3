import RecordsService
import MusterService

await ServiceMain.run(RecordsApp())
