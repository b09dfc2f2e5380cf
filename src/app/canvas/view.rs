//! Where the canvas looks: a zoom and a pan from canvas units to screen points, framing, and the
//! wheel, trackpad and keyboard navigation of a professional diagram editor (draw.io, VS Code):
//! the wheel pans, Ctrl+wheel and pinch zoom about the pointer in steps of 10 to 20 %.

use egui::{Pos2, Rect, Vec2};

/// The zoom range of the canvas.
pub const MIN_ZOOM: f32 = 0.05;
pub const MAX_ZOOM: f32 = 4.0;
/// One zoom step of the keyboard, the menu or a wheel notch.
pub const ZOOM_STEP: f32 = 1.15;
/// Fit never magnifies more than this: a one-site plan is framed, not blown up.
const FIT_MAX_ZOOM: f32 = 1.5;
/// Room left around the content when framing it, in screen points.
const FIT_MARGIN: f32 = 16.0;

/// The transform from canvas units to screen points: screen = origin + pan + canvas × zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub zoom: f32,
    pub pan: Vec2,
    /// The top-left corner of the canvas on screen.
    pub origin: Pos2,
}

impl Default for View {
    fn default() -> Self {
        Self { zoom: 1.0, pan: Vec2::ZERO, origin: Pos2::ZERO }
    }
}

impl View {
    pub fn to_screen(&self, canvas: Pos2) -> Pos2 {
        self.origin + self.pan + canvas.to_vec2() * self.zoom
    }

    pub fn to_canvas(&self, screen: Pos2) -> Pos2 {
        ((screen - self.origin - self.pan) / self.zoom).to_pos2()
    }

    pub fn to_screen_rect(&self, canvas: Rect) -> Rect {
        Rect::from_min_max(self.to_screen(canvas.min), self.to_screen(canvas.max))
    }

    /// Frames `content` (canvas units) in a viewport of `size` points.
    pub fn framing(content: Rect, size: Vec2, max_zoom: f32) -> (f32, Vec2) {
        let room = (size - Vec2::splat(2.0 * FIT_MARGIN)).max(Vec2::splat(1.0));
        let zoom = (room.x / content.width().max(1.0)).min(room.y / content.height().max(1.0)).clamp(MIN_ZOOM, max_zoom);
        let pan = size / 2.0 - content.center().to_vec2() * zoom;
        (zoom, pan)
    }

    /// Frames the whole content.
    pub fn fit(&mut self, content: Rect, size: Vec2) {
        (self.zoom, self.pan) = Self::framing(content, size, FIT_MAX_ZOOM);
    }

    /// Frames a target: in the middle, whole, as close as fits up to 100 %.
    pub fn frame(&mut self, target: Rect, size: Vec2) {
        let (fits, _) = Self::framing(target.expand(40.0), size, 1.0);
        self.zoom = fits;
        self.pan = size / 2.0 - target.center().to_vec2() * self.zoom;
    }

    /// Zooms by `factor` keeping the canvas point under `anchor` (screen) where it is.
    pub fn zoom_about(&mut self, factor: f32, anchor: Pos2) {
        let before = self.to_canvas(anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.pan = anchor - self.origin - before.to_vec2() * self.zoom;
    }

    /// Sets the zoom to `zoom` about the middle of a viewport of `size`.
    pub fn zoom_to(&mut self, zoom: f32, size: Vec2) {
        let middle = self.origin + size / 2.0;
        self.zoom_about(zoom / self.zoom, middle);
    }

    /// The zoom as users read it.
    pub fn percent(&self) -> String {
        format!("{:.0} %", self.zoom * 100.0)
    }

    /// Applies this frame's wheel and pinch over the canvas: Ctrl+wheel and pinch zoom about the
    /// pointer, one step at most per frame; the wheel and the trackpad pan. Returns true when
    /// the view changed.
    pub fn navigate(&mut self, ui: &egui::Ui, response: &egui::Response) -> bool {
        let Some(pointer) = response.hover_pos() else { return false };
        let (zoom_delta, scroll) = ui.input(|input| (input.zoom_delta(), input.smooth_scroll_delta));
        let mut changed = false;
        if (zoom_delta - 1.0).abs() > f32::EPSILON {
            self.zoom_about(zoom_delta.clamp(1.0 / ZOOM_STEP, ZOOM_STEP), pointer);
            changed = true;
        } else if scroll != Vec2::ZERO {
            self.pan += scroll;
            changed = true;
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_about_a_point_keeps_it_under_the_pointer() {
        let mut view = View { zoom: 0.8, pan: Vec2::new(30.0, -12.0), origin: Pos2::new(200.0, 60.0) };
        let anchor = Pos2::new(640.0, 410.0);
        let under = view.to_canvas(anchor);
        view.zoom_about(ZOOM_STEP, anchor);
        assert!((view.to_screen(under) - anchor).length() < 1e-3);
        assert!((view.zoom - 0.8 * ZOOM_STEP).abs() < 1e-6);
    }

    #[test]
    fn fit_frames_the_content_with_a_margin_and_never_over_magnifies_one_small_site() {
        let mut view = View::default();
        let content = Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::new(1000.0, 500.0));
        let size = Vec2::new(800.0, 600.0);
        view.fit(content, size);
        let on_screen = view.to_screen_rect(content);
        assert!(on_screen.min.x >= FIT_MARGIN - 0.01 && on_screen.max.x <= size.x - FIT_MARGIN + 0.01, "{on_screen:?}");
        assert!(on_screen.min.y >= 0.0 && on_screen.max.y <= size.y, "{on_screen:?}");
        view.fit(Rect::from_min_size(Pos2::ZERO, Vec2::new(200.0, 100.0)), size);
        assert_eq!(view.zoom, FIT_MAX_ZOOM);
    }
}
