//! Use cases for routing (issue 5: connecting people and the organization).
