public enum GatewayApp {}
