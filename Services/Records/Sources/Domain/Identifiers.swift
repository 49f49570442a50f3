import MusterCore

// The typed ids of Records' entities (`Identifier` of MusterCore), so that a person's id
// cannot be passed where a unit's is expected. People's and units' tags are MusterCore's (other
// services name them too: Notify's reminders); the aliases here are the same types, visible to
// Records' files that do not import MusterCore.
//
// ```swift
// let person = PersonID()
// let unit = UnitID(string: "0b6f…")   // nil unless a UUID
// ```
public enum TrainingRecordTag: Sendable {}
public enum CertificationTag: Sendable {}
public enum CertificationTypeTag: Sendable {}
public enum RequirementTag: Sendable {}
public enum PolicyTag: Sendable {}
public enum WaiverTag: Sendable {}

public typealias PersonID = Identifier<PersonTag>
public typealias UnitID = Identifier<UnitTag>
public typealias TrainingRecordID = Identifier<TrainingRecordTag>
public typealias CertificationID = Identifier<CertificationTag>
public typealias CertificationTypeID = Identifier<CertificationTypeTag>
public typealias RequirementID = Identifier<RequirementTag>
public typealias PolicyID = Identifier<PolicyTag>
public typealias WaiverID = Identifier<WaiverTag>
