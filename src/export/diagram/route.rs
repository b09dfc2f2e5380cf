//! How connection lines run between boxes. Each candidate line (straight from border to border,
//! or a curve bowing out to either side by a growing amount) gets a cost: crossing a box is
//! expensive, running under a label (which has a halo) is cheap, leaving the drawing is
//! expensive, and the further a curve bows the more it costs. The cheapest line is drawn, so a
//! line goes straight where it can and bows around boxes where a modest curve does it. Lines
//! are drawn under the boxes, so a line that must cross one disappears behind it rather than
//! running over its text. Several connections between the same two boxes take different lanes
//! so each stays visible.

use rustc_hash::FxHashMap;

use super::layout::Rect;

/// A quadratic Bézier curve; a straight line has its control point halfway.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub start: (f32, f32),
    pub control: (f32, f32),
    pub end: (f32, f32),
}

impl Curve {
    pub fn point(&self, t: f32) -> (f32, f32) {
        let u = 1.0 - t;
        (u * u * self.start.0 + 2.0 * u * t * self.control.0 + t * t * self.end.0, u * u * self.start.1 + 2.0 * u * t * self.control.1 + t * t * self.end.1)
    }

    fn length_estimate(&self) -> f32 {
        let leg = |a: (f32, f32), b: (f32, f32)| (b.0 - a.0).hypot(b.1 - a.1);
        leg(self.start, self.control) + leg(self.control, self.end)
    }
}

/// The point where a ray from the rectangle's centre towards `toward` leaves the rectangle.
pub fn exit_point(rect: &Rect, toward: (f32, f32)) -> (f32, f32) {
    let (cx, cy) = rect.center();
    let (dx, dy) = (toward.0 - cx, toward.1 - cy);
    let scale_x = if dx == 0.0 { f32::INFINITY } else { rect.width / 2.0 / dx.abs() };
    let scale_y = if dy == 0.0 { f32::INFINITY } else { rect.height / 2.0 / dy.abs() };
    let scale = scale_x.min(scale_y);
    if !scale.is_finite() {
        return (cx, cy);
    }
    (cx + dx * scale, cy + dy * scale)
}

/// What a line should keep off, and how much crossing it costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obstacle {
    /// A network or circuit: a line crossing it is hidden behind it and reads wrongly.
    Box,
    /// A label with a halo: a line may pass under it.
    Label,
}

impl Obstacle {
    fn cost(self) -> f32 {
        match self {
            Self::Box => 4.0,
            Self::Label => 1.0,
        }
    }
}

/// The cost of a line leaving the drawing, where it would be cut off.
const OUTSIDE_COST: f32 = 4.0;
/// The cost of bowing by the whole distance between the ends.
const BOW_COST: f32 = 3.0;

/// Boxes and labels a line should not cross, bucketed in a grid so a look-up touches only
/// nearby ones.
pub struct Obstacles {
    obstacles: Vec<(Rect, Obstacle)>,
    cells: FxHashMap<(i32, i32), Vec<usize>>,
    /// Lines should stay inside.
    bounds: Rect,
}

const CELL: f32 = 200.0;
/// How far from a box a line counts as touching it.
const CLEARANCE: f32 = 3.0;

fn cell_of(x: f32, y: f32) -> (i32, i32) {
    ((x / CELL).floor() as i32, (y / CELL).floor() as i32)
}

impl Obstacles {
    pub fn new(obstacles: Vec<(Rect, Obstacle)>, bounds: Rect) -> Self {
        let mut cells: FxHashMap<(i32, i32), Vec<usize>> = FxHashMap::default();
        for (index, (rect, _)) in obstacles.iter().enumerate() {
            let (left, top) = cell_of(rect.x - CLEARANCE, rect.y - CLEARANCE);
            let (right, bottom) = cell_of(rect.right() + CLEARANCE, rect.bottom() + CLEARANCE);
            for column in left..=right {
                for row in top..=bottom {
                    cells.entry((column, row)).or_default().push(index);
                }
            }
        }
        Self { obstacles, cells, bounds }
    }

    /// The cost of what the curve crosses, other than its own `ends`.
    fn crossing_cost(&self, curve: &Curve, ends: [usize; 2]) -> f32 {
        let samples = ((curve.length_estimate() / 8.0) as usize).clamp(8, 2000);
        let mut crossed: Vec<usize> = Vec::new();
        let mut outside = false;
        for step in 1..samples {
            let (x, y) = curve.point(step as f32 / samples as f32);
            let bounds = &self.bounds;
            outside |= x < bounds.x || y < bounds.y || x > bounds.right() || y > bounds.bottom();
            let Some(candidates) = self.cells.get(&cell_of(x, y)) else { continue };
            for &index in candidates {
                if ends.contains(&index) || crossed.contains(&index) {
                    continue;
                }
                let rect = &self.obstacles[index].0;
                if x >= rect.x - CLEARANCE && x <= rect.right() + CLEARANCE && y >= rect.y - CLEARANCE && y <= rect.bottom() + CLEARANCE {
                    crossed.push(index);
                }
            }
        }
        let crossing: f32 = crossed.iter().map(|&index| self.obstacles[index].1.cost()).sum();
        crossing + if outside { OUTSIDE_COST } else { 0.0 }
    }

    /// True when the point lies strictly inside a box (a network or a circuit, not a label)
    /// grown by `margin` on every side; only the grid cells around the point are looked at.
    pub fn near_box(&self, (x, y): (f32, f32), margin: f32) -> bool {
        let (left, top) = cell_of(x - margin, y - margin);
        let (right, bottom) = cell_of(x + margin, y + margin);
        (left..=right).flat_map(|column| (top..=bottom).map(move |row| (column, row))).filter_map(|cell| self.cells.get(&cell)).flatten().any(|&index| {
            let (rect, kind) = &self.obstacles[index];
            *kind == Obstacle::Box && x > rect.x - margin && x < rect.right() + margin && y > rect.y - margin && y < rect.bottom() + margin
        })
    }

    pub fn rect(&self, index: usize) -> Option<&Rect> {
        self.obstacles.get(index).map(|(rect, _)| rect)
    }
}

/// How far the control point of each candidate curve sits from the straight line, as a share
/// of the distance between the boxes, in the order tried (growing).
const BOWS: [f32; 11] = [0.0, 0.12, -0.12, 0.24, -0.24, 0.36, -0.36, 0.5, -0.5, 0.65, -0.65];
/// The extra bow of the second, third, ... connection between the same two boxes.
const LANE_BOWS: [f32; 5] = [0.0, 0.1, -0.1, 0.2, -0.2];

/// The line between obstacle `from` and obstacle `to`; `lane` numbers the connections between
/// the same two boxes.
pub fn route(obstacles: &Obstacles, from: usize, to: usize, lane: usize, effort: Effort) -> Option<Curve> {
    let (a, b) = (obstacles.rect(from)?, obstacles.rect(to)?);
    let (ac, bc) = (a.center(), b.center());
    let (dx, dy) = (bc.0 - ac.0, bc.1 - ac.1);
    let mid = ((ac.0 + bc.0) / 2.0, (ac.1 + bc.1) / 2.0);
    let lane_bow = LANE_BOWS[lane % LANE_BOWS.len()];
    let candidates = match effort {
        Effort::Avoid => &BOWS[..],
        Effort::Straight => &BOWS[..1],
    };
    let mut best: Option<(f32, Curve)> = None;
    for bow in candidates {
        let bow_cost = bow.abs() * BOW_COST;
        if best.as_ref().is_some_and(|(cheapest, _)| *cheapest <= bow_cost) {
            break;
        }
        let bow = bow + lane_bow;
        // The control point sits off the midpoint along the perpendicular (-dy, dx).
        let control = (mid.0 - dy * bow, mid.1 + dx * bow);
        let start = exit_point(a, control);
        let end = exit_point(b, control);
        // Recompute the control point from the clipped ends so a straight line stays straight.
        let control = if bow == 0.0 { ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0) } else { control };
        let curve = Curve { start, control, end };
        if effort == Effort::Straight {
            return Some(curve);
        }
        let cost = bow_cost + obstacles.crossing_cost(&curve, [from, to]);
        if best.as_ref().is_none_or(|(cheapest, _)| cost < *cheapest) {
            best = Some((cost, curve));
        }
    }
    best.map(|(_, curve)| curve)
}

/// How hard to look for a line that crosses no box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// Try curves around boxes in the way.
    Avoid,
    /// Straight lines only (for very large plans, where the diagram is an overview anyway).
    Straight,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(rects: Vec<Rect>) -> Obstacles {
        Obstacles::new(rects.into_iter().map(|rect| (rect, Obstacle::Box)).collect(), Rect::new(-1000.0, -1000.0, 3000.0, 3000.0))
    }

    #[test]
    fn a_clear_line_is_straight_from_border_to_border() {
        let obstacles = boxes(vec![Rect::new(0.0, 0.0, 100.0, 50.0), Rect::new(300.0, 0.0, 100.0, 50.0)]);
        let curve = route(&obstacles, 0, 1, 0, Effort::Avoid).unwrap();
        assert_eq!(curve.start, (100.0, 25.0));
        assert_eq!(curve.end, (300.0, 25.0));
        assert_eq!(curve.control, (200.0, 25.0));
    }

    #[test]
    fn a_box_in_the_way_is_avoided_with_a_curve() {
        let obstacles = boxes(vec![Rect::new(0.0, 0.0, 100.0, 50.0), Rect::new(600.0, 0.0, 100.0, 50.0), Rect::new(300.0, 0.0, 100.0, 50.0)]);
        let curve = route(&obstacles, 0, 1, 0, Effort::Avoid).unwrap();
        assert_ne!(curve.control.1, 25.0);
        assert_eq!(obstacles.crossing_cost(&curve, [0, 1]), 0.0);
    }

    #[test]
    fn a_line_may_run_under_a_label_rather_than_bow_far_around_it() {
        let obstacles = Obstacles::new(
            vec![
                (Rect::new(0.0, 0.0, 100.0, 50.0), Obstacle::Box),
                (Rect::new(0.0, 600.0, 100.0, 50.0), Obstacle::Box),
                (Rect::new(0.0, 560.0, 300.0, 30.0), Obstacle::Label),
            ],
            Rect::new(-1000.0, -1000.0, 3000.0, 3000.0),
        );
        let curve = route(&obstacles, 0, 1, 0, Effort::Avoid).unwrap();
        assert_eq!(curve.start.0, curve.end.0, "straight down");
    }

    #[test]
    fn second_lane_differs_from_the_first() {
        let obstacles = boxes(vec![Rect::new(0.0, 0.0, 100.0, 50.0), Rect::new(300.0, 0.0, 100.0, 50.0)]);
        let first = route(&obstacles, 0, 1, 0, Effort::Avoid).unwrap();
        let second = route(&obstacles, 0, 1, 1, Effort::Avoid).unwrap();
        assert_ne!(first, second);
    }
}
