//! Brokers: people whose interactions connect communities, by betweenness
//! centrality on the organization's interaction graph (exact with Brandes'
//! algorithm up to a few thousand people, sampled beyond with a stated
//! error).
//!
//! The graph: one node per person, an undirected edge between two people
//! who interacted (in any community; the weight is ignored, paths are
//! counted in hops). Betweenness by Brandes' algorithm (one breadth-first
//! search per source, dependencies accumulated backwards), normalized by
//! (n-1)(n-2)/2, the number of pairs not involving the person.
//!
//! Beyond [`BrokerOptions::exact_up_to`] people (3,000), only `samples`
//! (400) distinct sources drawn with a seeded splitmix64 are searched and the
//! sum scaled by n/k. The error bound: write a person's normalized
//! betweenness as b(v) = n/(n-1) · mean over sources s of Y_s, with
//! Y_s = δ_s(v)/(n-2) in [0, 1] (δ_s(v) is the dependency of s on v). The
//! estimate averages Y over k sampled sources, so by Hoeffding's inequality
//! (which also holds for sampling without replacement) |b̂(v) − b(v)| ≤ ε
//! with probability at least 1 − δ, for ε = n/(n-1) · sqrt(ln(2/δ) / (2k)),
//! δ = 0.1: ε ≈ 0.061 for k = 400. This is the per-person form of the
//! Riondato-Kornaropoulos style bound; it is what
//! [`BrokerReport::sampled`] states.

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

/// When to sample and how much.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrokerOptions {
    /// Exact betweenness up to this many people.
    pub exact_up_to: usize,
    /// Sources sampled beyond it.
    pub samples: usize,
    /// The failure probability of the stated error bound.
    pub delta: f64,
}

impl Default for BrokerOptions {
    fn default() -> Self {
        Self { exact_up_to: 3000, samples: 400, delta: 0.1 }
    }
}

/// The stated error of normalized betweenness estimated from `k` of `n`
/// sources: n/(n-1) · sqrt(ln(2/δ) / (2k)) (Hoeffding; see the module
/// documentation). 0 when `k >= n` (that is exact).
pub fn sampling_error(n: usize, k: usize, delta: f64) -> f64 {
    if k == 0 || n < 3 {
        return if n < 3 { 0.0 } else { 1.0 };
    }
    if k >= n {
        return 0.0;
    }
    let delta = if delta > 0.0 && delta < 1.0 { delta } else { 0.1 };
    n as f64 / (n - 1) as f64 * ((2.0 / delta).ln() / (2.0 * k as f64)).sqrt()
}

/// The top `limit` brokers (people active in two or more communities,
/// ranked by betweenness). `seed` makes sampling reproducible.
pub fn find_brokers(interactions: &[Interaction], limit: usize, seed: u64) -> BrokerReport {
    find_brokers_with(interactions, limit, seed, &BrokerOptions::default())
}

/// [`find_brokers`] with explicit sampling options.
pub fn find_brokers_with(
    interactions: &[Interaction],
    limit: usize,
    seed: u64,
    options: &BrokerOptions,
) -> BrokerReport {
    let graph = Graph::new(interactions);
    let n = graph.ids.len();
    let (scores, sampled) = if n <= options.exact_up_to || options.samples >= n {
        (betweenness(&graph, None), None)
    } else {
        let k = options.samples.max(1);
        let sources = sample_sources(n, k, seed);
        (betweenness(&graph, Some(&sources)), Some((k, sampling_error(n, k, options.delta))))
    };
    let mut brokers: Vec<Broker> = (0..n)
        .filter(|&v| graph.communities[v].len() >= 2)
        .map(|v| Broker { person: graph.ids[v], betweenness: scores[v], communities: graph.communities[v].clone() })
        .collect();
    brokers.sort_by(|a, b| b.betweenness.total_cmp(&a.betweenness).then(a.person.cmp(&b.person)));
    brokers.truncate(limit);
    BrokerReport { brokers, people: n, sampled }
}

/// The undirected person graph in compressed adjacency form.
struct Graph {
    ids: Vec<i64>,
    communities: Vec<Vec<i64>>,
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
}

impl Graph {
    fn new(interactions: &[Interaction]) -> Self {
        let mut ids: Vec<i64> = interactions.iter().flat_map(|i| [i.a, i.b]).collect();
        ids.sort_unstable();
        ids.dedup();
        let index = |id: i64| ids.binary_search(&id).unwrap_or(0) as u32;
        let mut communities: Vec<Vec<i64>> = vec![Vec::new(); ids.len()];
        let mut edges: Vec<(u32, u32)> = Vec::with_capacity(interactions.len() * 2);
        for interaction in interactions {
            let (a, b) = (index(interaction.a), index(interaction.b));
            communities[a as usize].push(interaction.community);
            communities[b as usize].push(interaction.community);
            if a != b {
                edges.push((a, b));
                edges.push((b, a));
            }
        }
        for list in &mut communities {
            list.sort_unstable();
            list.dedup();
        }
        edges.sort_unstable();
        edges.dedup();
        let mut offsets = vec![0usize; ids.len() + 1];
        for &(a, _) in &edges {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..ids.len() {
            offsets[i + 1] += offsets[i];
        }
        let neighbours = edges.into_iter().map(|(_, b)| b).collect();
        Self { ids, communities, offsets, neighbours }
    }

    fn neighbours(&self, v: usize) -> &[u32] {
        &self.neighbours[self.offsets[v]..self.offsets[v + 1]]
    }
}

/// splitmix64: a small seeded generator, enough to pick sources.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `k` distinct sources out of `n` (a partial Fisher-Yates shuffle).
fn sample_sources(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix(seed);
    let mut all: Vec<usize> = (0..n).collect();
    let k = k.min(n);
    for i in 0..k {
        let j = i + rng.below(n - i);
        all.swap(i, j);
    }
    all.truncate(k);
    all
}

/// Normalized betweenness of every node from all sources (`None`) or the
/// given ones (scaled by n/k).
fn betweenness(graph: &Graph, sources: Option<&[usize]>) -> Vec<f64> {
    let n = graph.ids.len();
    let mut scores = vec![0.0f64; n];
    if n < 3 {
        return scores;
    }
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![u32::MAX; n];
    let mut delta = vec![0.0f64; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let all: Vec<usize>;
    let sources = match sources {
        Some(s) => s,
        None => {
            all = (0..n).collect();
            &all
        }
    };
    for &s in sources {
        order.clear();
        sigma.fill(0.0);
        dist.fill(u32::MAX);
        delta.fill(0.0);
        sigma[s] = 1.0;
        dist[s] = 0;
        order.push(s);
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            for &w in graph.neighbours(v) {
                let w = w as usize;
                if dist[w] == u32::MAX {
                    dist[w] = dist[v] + 1;
                    order.push(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in graph.neighbours(w) {
                let v = v as usize;
                if dist[v] != u32::MAX && dist[v] + 1 == dist[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                scores[w] += delta[w];
            }
        }
    }
    // Each unordered pair is counted from both ends when every source is
    // searched; Σ_s δ_s(v) / ((n-1)(n-2)) is the normalized value, scaled by
    // n/k when only k sources were.
    let scale = n as f64 / sources.len().max(1) as f64 / ((n - 1) as f64 * (n - 2) as f64);
    for score in &mut scores {
        *score = (*score * scale).clamp(0.0, 1.0);
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(community: i64, a: i64, b: i64) -> Interaction {
        Interaction { community, a, b, count: 1 }
    }

    fn clique(community: i64, people: &[i64]) -> Vec<Interaction> {
        let mut out = Vec::new();
        for (i, &a) in people.iter().enumerate() {
            for &b in &people[i + 1..] {
                out.push(edge(community, a, b));
            }
        }
        out
    }

    #[test]
    fn the_bridge_between_two_cliques_ranks_first() {
        // Two 4-cliques {1,2,3,4} (community 10) and {6,7,8,9} (community
        // 20); person 5 joins 4 (in 10) and 6 (in 20). Person 4 is also in
        // community 30 with 1, so 4 is a candidate too.
        let mut interactions = clique(10, &[1, 2, 3, 4]);
        interactions.extend(clique(20, &[6, 7, 8, 9]));
        interactions.push(edge(10, 4, 5));
        interactions.push(edge(20, 5, 6));
        interactions.push(edge(30, 4, 1));
        let report = find_brokers(&interactions, 10, 1);
        assert_eq!(report.people, 9);
        assert_eq!(report.sampled, None);
        let ids: Vec<i64> = report.brokers.iter().map(|b| b.person).collect();
        assert_eq!(ids, vec![5, 4, 1]);
        // Person 5 is on every shortest path between {1,2,3,4} and
        // {6,7,8,9}: 16 pairs of 28 = (n-1)(n-2)/2 with n = 9.
        assert!((report.brokers[0].betweenness - 16.0 / 28.0).abs() < 1e-12);
        assert_eq!(report.brokers[0].communities, vec![10, 20]);
        // Person 4: between {1,2,3} and {5,6,7,8,9}: 15 pairs of 28.
        assert!((report.brokers[1].betweenness - 15.0 / 28.0).abs() < 1e-12);
        // Person 1 is on no shortest path.
        assert_eq!(report.brokers[2].betweenness, 0.0);
    }

    #[test]
    fn the_centre_of_a_star_has_betweenness_one() {
        // Centre 0, leaves 1..=5 each in their own community.
        let interactions: Vec<Interaction> = (1..=5).map(|leaf| edge(leaf, 0, leaf)).collect();
        let report = find_brokers(&interactions, 3, 7);
        assert_eq!(report.brokers.len(), 1, "only the centre interacts in 2+ communities");
        assert_eq!(report.brokers[0].person, 0);
        assert!((report.brokers[0].betweenness - 1.0).abs() < 1e-12);
        assert_eq!(report.brokers[0].communities, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn empty_and_tiny_graphs_are_defined() {
        let report = find_brokers(&[], 5, 0);
        assert!(report.brokers.is_empty());
        assert_eq!(report.people, 0);
        let report = find_brokers(&[edge(1, 1, 2), edge(2, 1, 2), edge(2, 3, 3)], 5, 0);
        assert_eq!(report.people, 3);
        assert!(report.brokers.iter().all(|b| b.betweenness == 0.0 && b.betweenness.is_finite()));
        assert!(find_brokers(&clique(1, &[1, 2, 3]), 0, 0).brokers.is_empty());
    }

    #[test]
    fn sampling_agrees_with_exact_within_the_stated_bound() {
        // 4,000 people in 8 communities of 500, ~3 random edges each inside
        // their community, and 20 bridges linking people across communities.
        let mut rng = SplitMix(42);
        let mut interactions = Vec::new();
        for person in 0..4000i64 {
            let community = person / 500;
            for _ in 0..3 {
                let other = community * 500 + rng.below(500) as i64;
                if other != person {
                    interactions.push(edge(community, person, other));
                }
            }
        }
        for bridge in 0..20i64 {
            let person = rng.below(4000) as i64;
            let community = (person / 500 + 1 + bridge % 7) % 8;
            let other = community * 500 + rng.below(500) as i64;
            interactions.push(edge(community, person, other));
        }
        let exact =
            find_brokers_with(&interactions, 5, 3, &BrokerOptions { exact_up_to: usize::MAX, ..Default::default() });
        let sampled = find_brokers(&interactions, 4000, 3);
        assert_eq!(exact.sampled, None);
        let (k, eps) = sampled.sampled.expect("sampled beyond 3000 people");
        assert_eq!(k, 400);
        let expected = 4000.0 / 3999.0 * ((20f64).ln() / 800.0).sqrt();
        assert!((eps - expected).abs() < 1e-12 && eps < 0.062, "{eps}");
        let top = &exact.brokers[0];
        assert!(top.betweenness > 0.0);
        let estimate = sampled.brokers.iter().find(|b| b.person == top.person).expect("the top broker is a candidate");
        assert!(
            (estimate.betweenness - top.betweenness).abs() <= eps,
            "exact {} sampled {} eps {eps}",
            top.betweenness,
            estimate.betweenness
        );
    }
}
