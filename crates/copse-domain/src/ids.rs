//! Typed identifiers, so a person's id can never be passed where a
//! community's is expected.

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A person in the organization (with or without a local account).
    PersonId,
    /// A community of practice.
    CommunityId,
    /// An organizational goal that charters link to.
    OrgGoalId,
    /// An API token.
    ApiTokenId,
);
