//! Finding overlapping prefixes with a sort and one sweep, never by comparing every pair.
//!
//! Two CIDR prefixes either are disjoint or one contains the other. Sorted by first address (and
//! shorter prefix first on ties), the prefixes still "open" at any point form a chain of
//! containers; each new prefix overlaps exactly the open ones that reach it.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::model::Prefix;

/// A prefix as a closed range of 128-bit addresses in one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Span {
    is_v6: bool,
    first: u128,
    last: u128,
}

impl Span {
    fn of(net: &IpNet) -> Self {
        let net = net.trunc();
        let (is_v6, first, host_bits) = match net.network() {
            IpAddr::V4(address) => (false, u128::from(u32::from(address)), 32 - u32::from(net.prefix_len())),
            IpAddr::V6(address) => (true, u128::from(address), 128 - u32::from(net.prefix_len())),
        };
        let host_mask = if host_bits >= 128 { u128::MAX } else { (1u128 << host_bits) - 1 };
        Self { is_v6, first, last: first | host_mask }
    }

    fn contains(&self, other: &Span) -> bool {
        self.is_v6 == other.is_v6 && self.first <= other.first && other.last <= self.last
    }
}

/// Every pair of overlapping prefixes, as the tags given with them. Within a pair the first tag
/// belongs to the containing (or equal, earlier-listed) prefix. Pairs come sorted by address.
pub fn overlapping_pairs<T: Copy>(prefixes: &[(IpNet, T)]) -> Vec<(T, T)> {
    let mut order: Vec<(Span, usize)> = prefixes.iter().enumerate().map(|(index, (net, _))| (Span::of(net), index)).collect();
    // Containers before what they contain: first address ascending, then last address descending.
    order.sort_by(|(a, a_index), (b, b_index)| {
        (a.is_v6, a.first, std::cmp::Reverse(a.last), a_index).cmp(&(b.is_v6, b.first, std::cmp::Reverse(b.last), b_index))
    });
    let mut open: Vec<(Span, usize)> = Vec::new();
    let mut pairs = Vec::new();
    for (span, index) in order {
        while open.last().is_some_and(|(container, _)| !container.contains(&span)) {
            open.pop();
        }
        pairs.extend(open.iter().map(|(_, container)| (prefixes[*container].1, prefixes[index].1)));
        open.push((span, index));
    }
    pairs
}

/// The pairs (one prefix of `a`, one of `b`) that overlap, in address order. Address spaces are
/// usually a prefix or two, compared directly; longer lists are swept.
pub fn overlaps_between(a: &[Prefix], b: &[Prefix]) -> Vec<(IpNet, IpNet)> {
    let mut pairs: Vec<(IpNet, IpNet)> = if a.len() * b.len() <= 64 {
        let spans_b: Vec<Span> = b.iter().map(|prefix| Span::of(&prefix.net())).collect();
        a.iter()
            .flat_map(|x| {
                let span_x = Span::of(&x.net());
                b.iter().zip(&spans_b).filter(move |(_, span_y)| span_x.contains(span_y) || span_y.contains(&span_x)).map(move |(y, _)| (x.net(), y.net()))
            })
            .collect()
    } else {
        let tagged: Vec<(IpNet, (bool, usize))> = a
            .iter()
            .enumerate()
            .map(|(index, prefix)| (prefix.net(), (false, index)))
            .chain(b.iter().enumerate().map(|(index, prefix)| (prefix.net(), (true, index))))
            .collect();
        overlapping_pairs(&tagged)
            .into_iter()
            .filter(|((a_side, _), (b_side, _))| a_side != b_side)
            .map(|(first, second)| {
                let (from_a, from_b) = if first.0 { (second, first) } else { (first, second) };
                (a[from_a.1].net(), b[from_b.1].net())
            })
            .collect()
    };
    // Address order with containers first, as the sweep orders prefixes.
    let order = |net: &IpNet| {
        let span = Span::of(net);
        (span.is_v6, span.first, std::cmp::Reverse(span.last))
    };
    pairs.sort_by_key(|(x, y)| (order(x), order(y)));
    pairs
}

/// Prefixes, each tagged, for asking which of them overlap a given prefix: a sorted list, so a
/// question costs a binary search per prefix length rather than a pass over every prefix.
pub struct PrefixLookup<T> {
    /// Containers first: first address ascending, then last address descending.
    spans: Vec<(Span, T)>,
}

impl<T: Copy> PrefixLookup<T> {
    pub fn new(prefixes: impl IntoIterator<Item = (IpNet, T)>) -> Self {
        let mut spans: Vec<(Span, T)> = prefixes.into_iter().map(|(net, tag)| (Span::of(&net), tag)).collect();
        spans.sort_by_key(|(span, _)| Self::order(span));
        Self { spans }
    }

    fn order(span: &Span) -> (bool, u128, std::cmp::Reverse<u128>) {
        (span.is_v6, span.first, std::cmp::Reverse(span.last))
    }

    /// The tags of every prefix that overlaps `net` (contains it, equals it or lies in it), each
    /// once per overlapping prefix.
    pub fn overlapping(&self, net: IpNet) -> impl Iterator<Item = T> + use<'_, T> {
        let query = Span::of(&net);
        // Those that start inside the query lie in it or, starting where it starts, contain it.
        let start = self.spans.partition_point(|(span, _)| (span.is_v6, span.first) < (query.is_v6, query.first));
        let inside = self.spans[start..].iter().take_while(move |(span, _)| span.is_v6 == query.is_v6 && span.first <= query.last);
        // Those that start before it and contain it: one candidate per shorter prefix length.
        let containers = (0..net.prefix_len()).filter_map(move |length| {
            let container = Span::of(&IpNet::new(net.addr(), length).ok()?);
            (container.first < query.first).then_some(container)
        });
        let containing = containers.flat_map(move |container| {
            let from = self.spans.partition_point(|(span, _)| Self::order(span) < Self::order(&container));
            self.spans[from..].iter().take_while(move |(span, _)| *span == container)
        });
        inside.chain(containing).map(|(_, tag)| *tag)
    }
}

/// Every prefix of a plan tagged with its element id: network address prefixes in plan order,
/// then subnet prefixes. The benchmarks and the Python reference sweep this same list.
pub fn plan_prefixes(plan: &crate::model::Plan) -> Vec<(IpNet, &str)> {
    let networks = plan.networks.iter().flat_map(|network| network.address_space.iter().map(move |prefix| (prefix.net(), network.id.as_str())));
    let subnets = plan.subnets.iter().map(|subnet| (subnet.prefix.net(), subnet.id.as_str()));
    networks.chain(subnets).collect()
}

/// Overlapping pairs of a plan's prefixes as sorted lines "TAG PREFIX\tTAG PREFIX", the format
/// `benches/overlap_reference.py --pairs-out` writes.
pub fn plan_overlap_lines(plan: &crate::model::Plan) -> Vec<String> {
    let prefixes = plan_prefixes(plan);
    let tagged: Vec<(IpNet, usize)> = prefixes.iter().enumerate().map(|(index, (net, _))| (*net, index)).collect();
    let label = |index: usize| format!("{} {}", prefixes[index].1, prefixes[index].0.trunc());
    let mut lines: Vec<String> = overlapping_pairs(&tagged)
        .into_iter()
        .map(|(a, b)| {
            let (a, b) = (label(a), label(b));
            if a <= b { format!("{a}\t{b}") } else { format!("{b}\t{a}") }
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(texts: &[&str]) -> Vec<(IpNet, usize)> {
        texts.iter().enumerate().map(|(index, text)| (text.parse().unwrap(), index)).collect()
    }

    /// Nested, equal and disjoint prefixes of both families, with the whole of each.
    const NESTED_EQUAL_AND_DISJOINT: &[&str] = &[
        "10.0.0.0/8",
        "10.1.0.0/16",
        "10.1.1.0/24",
        "10.1.1.0/24",
        "10.2.0.0/16",
        "192.168.0.0/16",
        "0.0.0.0/0",
        "fd00::/48",
        "fd00:0:0:1::/64",
        "::/0",
        "172.16.0.0/12",
        "10.1.2.0/25",
    ];

    fn naive(prefixes: &[(IpNet, usize)]) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for (i, (a, _)) in prefixes.iter().enumerate() {
            for (j, (b, _)) in prefixes.iter().enumerate().skip(i + 1) {
                if a.trunc().contains(&b.trunc()) || b.trunc().contains(&a.trunc()) {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
        pairs.sort();
        pairs
    }

    fn sweep(prefixes: &[(IpNet, usize)]) -> Vec<(usize, usize)> {
        let mut pairs: Vec<_> = overlapping_pairs(prefixes).into_iter().map(|(a, b)| (a.min(b), a.max(b))).collect();
        pairs.sort();
        pairs
    }

    #[test]
    fn nested_equal_and_disjoint_prefixes_match_the_every_pair_answer() {
        let prefixes = nets(NESTED_EQUAL_AND_DISJOINT);
        assert_eq!(sweep(&prefixes), naive(&prefixes));
        assert!(sweep(&prefixes).contains(&(2, 3)), "equal prefixes overlap");
    }

    #[test]
    fn families_never_overlap_each_other() {
        let prefixes = nets(&["0.0.0.0/0", "::/0"]);
        assert!(overlapping_pairs(&prefixes).is_empty());
    }

    #[test]
    fn overlaps_between_reports_only_cross_pairs() {
        let a: Vec<Prefix> = vec!["10.1.0.0/16".parse().unwrap(), "10.1.5.0/24".parse().unwrap()];
        let b: Vec<Prefix> = vec!["10.1.5.0/24".parse().unwrap(), "10.2.0.0/16".parse().unwrap()];
        let pairs = overlaps_between(&a, &b);
        let expected: Vec<(IpNet, IpNet)> = vec![(a[0].net(), b[0].net()), (a[1].net(), b[0].net())];
        assert_eq!(pairs, expected);
        // Two prefixes of `a` at one address: the container comes first, as in the sweep.
        let a: Vec<Prefix> = vec!["10.0.0.0/16".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
        let b: Vec<Prefix> = vec!["10.0.0.0/24".parse().unwrap()];
        assert_eq!(overlaps_between(&a, &b)[0], (a[1].net(), b[0].net()));
    }

    #[test]
    fn long_address_spaces_are_swept_to_the_same_pairs() {
        // 9 x 9 prefixes: past the direct comparison, into the sweep.
        let a: Vec<Prefix> = (0..9).map(|i| format!("10.{i}.0.0/16").parse().unwrap()).collect();
        let b: Vec<Prefix> = (0..9).map(|i| format!("10.{}.{i}.0/24", i % 3).parse().unwrap()).collect();
        let pairs = overlaps_between(&a, &b);
        let mut expected: Vec<(IpNet, IpNet)> = Vec::new();
        for x in &a {
            for y in &b {
                if x.net().contains(&y.net()) || y.net().contains(&x.net()) {
                    expected.push((x.net(), y.net()));
                }
            }
        }
        let order = |net: &IpNet| (Span::of(net).first, std::cmp::Reverse(Span::of(net).last));
        expected.sort_by_key(|(x, y)| (order(x), order(y)));
        assert_eq!(pairs, expected);
        assert_eq!(pairs.len(), 9);
        assert!(overlaps_between(&a[3..], &b).is_empty());
    }

    #[test]
    fn the_lookup_finds_what_every_pair_finds() {
        // With host bits set, and a neighbour of a listed prefix.
        let listed: Vec<&str> = NESTED_EQUAL_AND_DISJOINT.iter().copied().chain(["10.1.1.7/24", "10.1.2.128/25"]).collect();
        let prefixes = nets(&listed);
        let lookup = PrefixLookup::new(prefixes.iter().copied());
        // Asked with every listed prefix and with some that are not listed.
        let questions = prefixes
            .iter()
            .map(|(net, _)| *net)
            .chain(["10.1.2.64/26", "10.3.0.0/16", "11.0.0.0/8", "fd00:0:0:2::1/128", "10.1.1.1/32"].iter().map(|text| text.parse().unwrap()));
        for question in questions {
            let mut found: Vec<usize> = lookup.overlapping(question).collect();
            found.sort_unstable();
            let expected: Vec<usize> = prefixes
                .iter()
                .filter(|(net, _)| net.trunc().contains(&question.trunc()) || question.trunc().contains(&net.trunc()))
                .map(|(_, tag)| *tag)
                .collect();
            assert_eq!(found, expected, "prefixes overlapping {question}");
        }
    }
}
