import MusterCore

// The ids of the catalog and of training events (the people, units, records and
// certifications have theirs in Identifiers.swift).
public enum CourseTag: Sendable {}
public enum CategoryTag: Sendable {}
public enum TrainingEventTag: Sendable {}

public typealias CourseID = Identifier<CourseTag>
public typealias CategoryID = Identifier<CategoryTag>
public typealias TrainingEventID = Identifier<TrainingEventTag>
