//! Use cases for organization (issue 5: connecting people and the organization).
