//! Removing overlaps between boxes: each box, taken in turn, is moved right or down, whichever is
//! the shorter way, until it is clear of the boxes already settled.
//!
//! The settled boxes are kept in a grid of cells, so finding the one a box runs into looks at the
//! boxes near it, not at every box settled so far (which grew with the square of a site's
//! networks: 10,000 networks in one site at 100,000 prefixes). The answer is the same: the first
//! settled box, in the order they settled, that the box comes closer than the gap to.

use rustc_hash::FxHashMap;

use super::layout::Rect;

/// Moves rectangles right or down, whichever is the shorter way, until none comes closer than
/// `gap` to another. Rectangles are taken top to bottom, then left to right; each is moved past
/// the ones already settled, so the first stays where it is.
pub fn separate(rects: &mut [Rect], gap: f32) {
    let mut order: Vec<usize> = (0..rects.len()).collect();
    order.sort_by(|&a, &b| rects[a].y.total_cmp(&rects[b].y).then(rects[a].x.total_cmp(&rects[b].x)));
    let mut settled = Settled::new(rects, gap);
    for index in order {
        let mut rect = rects[index];
        settled.push_clear(&mut rect);
        rects[index] = rect;
        settled.settle(rect);
    }
}

/// Moves each of `movable` right or down until it is clear of `fixed` and of the others.
pub fn separate_from(fixed: &[Rect], movable: &mut [Rect], gap: f32) {
    let all: Vec<Rect> = fixed.iter().chain(movable.iter()).copied().collect();
    let mut settled = Settled::new(&all, gap);
    for rect in fixed {
        settled.settle(*rect);
    }
    for rect in movable.iter_mut() {
        settled.push_clear(rect);
        settled.settle(*rect);
    }
}

/// A box that would cover more cells than this is kept aside and checked against every question,
/// and a question that covers more looks at every box: a huge box costs a pass, not a flood of
/// cells.
const MAX_CELLS: i64 = 64;

/// Settled rectangles, in the order they settled, found by the cells they cover.
struct Settled {
    gap: f32,
    /// The side of a cell, in canvas units.
    cell: f32,
    rects: Vec<Rect>,
    cells: FxHashMap<(i64, i64), Vec<usize>>,
    /// Rectangles too large for the cells.
    large: Vec<usize>,
}

impl Settled {
    /// Cells about the size of a typical box among `rects` (the median of their larger sides,
    /// plus the gap), so a box covers a few cells and a cell holds a few boxes.
    fn new(rects: &[Rect], gap: f32) -> Self {
        let mut sides: Vec<f32> = rects.iter().map(|rect| rect.width.max(rect.height)).filter(|side| side.is_finite()).collect();
        sides.sort_by(f32::total_cmp);
        let median = sides.get(sides.len() / 2).copied().unwrap_or(1.0);
        let cell = (median + gap.max(0.0)).max(1.0);
        Self { gap, cell, rects: Vec::with_capacity(rects.len()), cells: FxHashMap::default(), large: Vec::new() }
    }

    /// The cells from (left, top) to (right, bottom), or None when they are more than
    /// `MAX_CELLS` (or the rectangle is not finite).
    fn cells_of(&self, left: f32, top: f32, right: f32, bottom: f32) -> Option<impl Iterator<Item = (i64, i64)> + use<>> {
        if ![left, top, right, bottom].iter().all(|value| value.is_finite()) {
            return None;
        }
        let index = |value: f32| (f64::from(value) / f64::from(self.cell)).floor() as i64;
        let (x0, x1) = (index(left.min(right)), index(left.max(right)));
        let (y0, y1) = (index(top.min(bottom)), index(top.max(bottom)));
        let count = (x1 - x0 + 1).saturating_mul(y1 - y0 + 1);
        (count <= MAX_CELLS).then(|| (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y))))
    }

    fn settle(&mut self, rect: Rect) {
        let index = self.rects.len();
        self.rects.push(rect);
        match self.cells_of(rect.x, rect.y, rect.right(), rect.bottom()) {
            Some(cells) => cells.for_each(|cell| self.cells.entry(cell).or_default().push(index)),
            None => self.large.push(index),
        }
    }

    /// The first settled rectangle, in settling order, that `rect` comes closer than the gap to.
    fn first_overlapping(&self, rect: &Rect) -> Option<Rect> {
        let gap = self.gap;
        let overlapping = |index: &usize| self.rects[*index].overlaps(rect, gap);
        // Any rectangle that comes closer than the gap covers a cell of this wider area.
        let nearby = self.cells_of(rect.x - gap, rect.y - gap, rect.right() + gap, rect.bottom() + gap);
        let first = match nearby {
            Some(cells) => cells.filter_map(|cell| self.cells.get(&cell)).flatten().chain(&self.large).copied().filter(|index| overlapping(index)).min(),
            None => (0..self.rects.len()).find(|index| overlapping(index)),
        };
        first.map(|index| self.rects[index])
    }

    /// Moves `rect` right or down, by the shorter way each time, until it overlaps none of the
    /// settled rectangles; each step clears one rectangle, so twice their count bounds the loop
    /// (the bound only guards against floating-point surprises).
    fn push_clear(&self, rect: &mut Rect) {
        for _ in 0..=2 * self.rects.len() {
            let Some(other) = self.first_overlapping(rect) else { break };
            let right = other.right() + self.gap - rect.x;
            let down = other.bottom() + self.gap - rect.y;
            if right <= down {
                rect.x += right;
            } else {
                rect.y += down;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How a box was cleared before the grid: every settled box searched in settling order.
    fn push_clear_by_search(rect: &mut Rect, settled: &[Rect], gap: f32) {
        for _ in 0..=2 * settled.len() {
            let Some(other) = settled.iter().find(|other| rect.overlaps(other, gap)) else { break };
            let (right, down) = (other.right() + gap - rect.x, other.bottom() + gap - rect.y);
            if right <= down {
                rect.x += right;
            } else {
                rect.y += down;
            }
        }
    }

    fn separate_by_search(rects: &mut [Rect], gap: f32) {
        let mut order: Vec<usize> = (0..rects.len()).collect();
        order.sort_by(|&a, &b| rects[a].y.total_cmp(&rects[b].y).then(rects[a].x.total_cmp(&rects[b].x)));
        let mut settled: Vec<Rect> = Vec::new();
        for index in order {
            push_clear_by_search(&mut rects[index], &settled, gap);
            settled.push(rects[index]);
        }
    }

    fn separate_from_by_search(fixed: &[Rect], movable: &mut [Rect], gap: f32) {
        let mut settled: Vec<Rect> = fixed.to_vec();
        for rect in movable.iter_mut() {
            push_clear_by_search(rect, &settled, gap);
            settled.push(*rect);
        }
    }

    #[test]
    fn separate_moves_the_later_box_the_shorter_way() {
        let mut rects = [Rect::new(0.0, 0.0, 100.0, 100.0), Rect::new(90.0, 10.0, 100.0, 100.0)];
        separate(&mut rects, 10.0);
        assert_eq!(rects[0], Rect::new(0.0, 0.0, 100.0, 100.0));
        assert_eq!(rects[1], Rect::new(110.0, 10.0, 100.0, 100.0));
    }

    #[test]
    fn separate_leaves_no_overlap_in_a_pile() {
        let mut rects: Vec<Rect> = (0..30).map(|index| Rect::new((index % 3) as f32 * 5.0, (index % 7) as f32 * 3.0, 80.0, 40.0)).collect();
        separate(&mut rects, 8.0);
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b, 7.9), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_grid_moves_every_box_where_the_search_of_every_box_did() {
        // Piles, a huge box, boxes far apart and at negative positions, of many sizes.
        let mut state = 7u64;
        let mut next = |limit: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % limit
        };
        for round in 0..40 {
            let count = 5 + next(120) as usize;
            let spread = [50.0, 400.0, 5_000.0][round % 3];
            let mut rects: Vec<Rect> = (0..count)
                .map(|_| {
                    let x = next(1_000) as f32 / 1_000.0 * spread - spread / 4.0;
                    let y = next(1_000) as f32 / 1_000.0 * spread - spread / 4.0;
                    Rect::new(x, y, 20.0 + next(200) as f32, 10.0 + next(120) as f32)
                })
                .collect();
            if round % 5 == 0 {
                rects.push(Rect::new(-100.0, -100.0, 20_000.0, 15_000.0));
            }
            let mut expected = rects.clone();
            separate_by_search(&mut expected, 12.0);
            separate(&mut rects, 12.0);
            assert_eq!(rects, expected, "round {round}");
            // Circuits placed among settled sites, as the layout does.
            let (fixed, movable) = expected.split_at(count / 3);
            let mut moved: Vec<Rect> = movable.iter().map(|rect| Rect::new(rect.x - 30.0, rect.y + 7.0, rect.width, rect.height)).collect();
            let mut by_search = moved.clone();
            separate_from_by_search(fixed, &mut by_search, 12.0);
            separate_from(fixed, &mut moved, 12.0);
            assert_eq!(moved, by_search, "round {round}, separate_from");
        }
    }
}
