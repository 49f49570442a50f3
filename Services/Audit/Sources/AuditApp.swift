public enum AuditApp {}
