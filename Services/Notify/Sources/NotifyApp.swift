public enum NotifyApp {}
