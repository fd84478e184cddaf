//! Brokers: people whose interactions connect communities, by betweenness
//! centrality on the organization's interaction graph (exact with Brandes'
//! algorithm up to a few thousand people, sampled beyond with a stated
//! error).
//!
//! CONTRACT (scaffold).

/// An undirected weighted interaction between two people in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction {
    pub community: i64,
    pub a: i64,
    pub b: i64,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Broker {
    pub person: i64,
    /// Normalized betweenness, 0..1.
    pub betweenness: f64,
    /// Communities the person interacts in.
    pub communities: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BrokerReport {
    pub brokers: Vec<Broker>,
    pub people: usize,
    /// `None` when exact; otherwise the number of sampled sources and the
    /// stated error bound on normalized betweenness.
    pub sampled: Option<(usize, f64)>,
}

/// The top `limit` brokers (people active in two or more communities,
/// ranked by betweenness). `seed` makes sampling reproducible.
pub fn find_brokers(interactions: &[Interaction], limit: usize, seed: u64) -> BrokerReport {
    let _ = (interactions, limit, seed);
    todo!("brokers helper")
}
