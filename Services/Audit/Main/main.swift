import AuditService
import MusterService

await ServiceMain.run(AuditApp())
