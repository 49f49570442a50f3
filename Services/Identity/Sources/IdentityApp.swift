public enum IdentityApp {}
