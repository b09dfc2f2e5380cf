//! Keeping the memory of large plans low: lists filtered on every core made in one place, and
//! memory freed at the end of a phase given back at once.

use rayon::prelude::*;

/// `items.par_iter().filter_map(keep).collect()`, made as one list of the items' length and taken
/// out of its options where they lie. rayon's collect of a filtered iterator gathers pieces and
/// copies them into the list, so it holds the list twice for a moment; an option of an element
/// that holds a reference is the element's size, so this holds it once.
pub fn par_filter_map<'a, T: Sync, U: Send>(items: &'a [T], keep: impl Fn(&'a T) -> Option<U> + Sync + Send) -> Vec<U> {
    let kept: Vec<Option<U>> = items.par_iter().map(keep).collect();
    // `flatten` would say the same, but the standard library collects a flattened list into a
    // new one, and a `filter_map`ped one in place (the test below holds it to that).
    #[expect(clippy::filter_map_identity, reason = "filter_map collects in place, flatten does not")]
    kept.into_iter().filter_map(std::convert::identity).collect()
}

/// Gives the memory the allocator holds freed back to the system now, on every core, instead
/// of after its usual delay: for the end of a phase that freed much at once (the pieces of a
/// large file read, `io::load`), so the next phase's memory does not come on top of it.
pub fn return_freed_memory() {
    let collect = || {
        // SAFETY: mi_collect takes no pointer and only frees what no allocation uses; it may be
        // called from any thread at any time.
        unsafe { libmimalloc_sys::mi_collect(true) }
    };
    rayon::broadcast(|_| collect());
    collect();
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_filtered_list_keeps_the_order_and_its_place() {
        let items: Vec<u32> = (0..10_000).collect();
        let odd = super::par_filter_map(&items, |item| (item % 2 == 1).then_some(item));
        assert_eq!(odd, items.iter().filter(|item| *item % 2 == 1).collect::<Vec<_>>());
        // Taken out of the options where they lie: the list has the room of all the items.
        assert!(odd.capacity() >= items.len(), "capacity {}", odd.capacity());
    }
}
