//! SQL for surveys (issue 5: connecting people and the organization).
