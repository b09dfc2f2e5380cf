//! Elements grouped under dense keys, by position: the groups of a plan's index (the subnets of
//! each network, the machines of each subnet) and what reads them.

/// A position in one of the plan's lists, stored in 4 bytes (plans hold far fewer than 4
/// billion elements: the loader refuses files over 256 MiB).
pub(crate) type Position = u32;

pub(crate) fn stored(position: usize) -> Position {
    Position::try_from(position).unwrap_or(Position::MAX)
}

/// Items grouped under dense keys `0..keys`, in the order given within each key; one counting
/// sort, two allocations for all the groups together.
#[derive(Clone, PartialEq)]
pub(crate) struct Groups<T> {
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy> Groups<T> {
    /// Groups `(key, item)` entries; the entries are walked twice (count, then place), so no
    /// list of them is ever made.
    pub(crate) fn new(keys: usize, entries: impl Iterator<Item = (usize, T)> + Clone) -> Self {
        let mut starts = vec![0; keys + 1];
        let (mut count, mut filler) = (0, None);
        for (key, item) in entries.clone() {
            starts[key + 1] += 1;
            count += 1;
            filler.get_or_insert(item);
        }
        for key in 0..keys {
            starts[key + 1] += starts[key];
        }
        let Some(filler) = filler else { return Self { starts, items: Vec::new() } };
        let mut next = starts.clone();
        let mut items = vec![filler; count];
        for (key, item) in entries {
            items[next[key]] = item;
            next[key] += 1;
        }
        Self { starts, items }
    }

    pub(crate) fn get(&self, key: usize) -> &[T] {
        match (self.starts.get(key), self.starts.get(key + 1)) {
            (Some(&start), Some(&end)) => &self.items[start..end],
            _ => &[],
        }
    }
}

/// The elements of a group of the index, in plan order: what `subnets_of`, `machines_in` and
/// the like return.
pub struct Members<'s, 'a, T> {
    pub(crate) items: &'a [T],
    pub(crate) positions: &'s [Position],
}

impl<T> Clone for Members<'_, '_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Members<'_, '_, T> {}

impl<'s, 'a, T> Members<'s, 'a, T> {
    pub(crate) const NONE: Self = Self { items: &[], positions: &[] };

    pub fn iter(&self) -> MembersIter<'s, 'a, T> {
        MembersIter { items: self.items, positions: self.positions.iter() }
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// The members' positions in their list of the plan, in plan order.
    pub fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.positions.iter().map(|&position| position as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    pub fn first(&self) -> Option<&'a T> {
        self.iter().next()
    }

    /// The element at this place in the group.
    pub fn get(&self, place: usize) -> Option<&'a T> {
        self.positions.get(place).map(|&position| &self.items[position as usize])
    }
}

impl<'s, 'a, T> IntoIterator for Members<'s, 'a, T> {
    type Item = &'a T;
    type IntoIter = MembersIter<'s, 'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The elements of a group, one after another.
pub struct MembersIter<'s, 'a, T> {
    items: &'a [T],
    positions: std::slice::Iter<'s, Position>,
}

impl<T> Clone for MembersIter<'_, '_, T> {
    fn clone(&self) -> Self {
        Self { items: self.items, positions: self.positions.clone() }
    }
}

impl<'a, T> Iterator for MembersIter<'_, 'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        self.positions.next().map(|&position| &self.items[position as usize])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.positions.size_hint()
    }
}

impl<T> ExactSizeIterator for MembersIter<'_, '_, T> {}

impl<'a, T> DoubleEndedIterator for MembersIter<'_, 'a, T> {
    fn next_back(&mut self) -> Option<&'a T> {
        self.positions.next_back().map(|&position| &self.items[position as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_plan_order_within_each_key() {
        let groups = Groups::new(3, [(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd')].into_iter());
        assert_eq!(groups.get(0), &['b', 'd']);
        assert_eq!(groups.get(1), &[] as &[char]);
        assert_eq!(groups.get(2), &['a', 'c']);
        assert_eq!(groups.get(3), &[] as &[char]);
    }
}
