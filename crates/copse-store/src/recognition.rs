//! SQL for recognition (issue 5: connecting people and the organization).
