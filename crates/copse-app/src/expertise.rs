//! Use cases for expertise (issue 5: connecting people and the organization).
