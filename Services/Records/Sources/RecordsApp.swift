public enum RecordsApp {}
