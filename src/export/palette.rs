//! The one visual language of drplan: what colour each meaning has, for the exported diagrams
//! (light, on white paper) and for the desktop canvas (light or dark, following the window's
//! theme). Drawings name a [`Paint`] by what it means; a [`Palette`] turns it into a colour.
//!
//! Meanings never share a colour: connection types (VPN blue, peering purple, ExpressRoute teal,
//! stretched VLAN brown) are apart from the changes of a failover (disconnected red, established
//! green, moved orange), and site roles are tints of their own hues.

use crate::model::SiteRole;

/// What a colour means in a drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paint {
    /// Nothing is painted.
    None,
    /// The paper or canvas behind everything.
    Background,
    /// Main text.
    Ink,
    /// Secondary text: details, prefixes, gateway names.
    Muted,
    NetworkFill,
    NetworkStroke,
    SubnetFill,
    GatewaySubnetFill,
    SubnetStroke,
    MachineFill,
    MachineStroke,
    NvaFill,
    NvaStroke,
    GatewayFill,
    CircuitFill,
    /// Numbered change badges.
    BadgeFill,
    /// Text and outlines drawn on a dark badge, pill or gateway.
    OnBadge,
    /// Lines between the panels of a side-by-side page.
    Divider,
    Vpn,
    Peering,
    ExpressRoute,
    StretchedVlan,
    Disconnected,
    Established,
    Moved,
    /// Behind a moved machine.
    MovedFill,
    SiteFill(SiteRole),
    SiteStroke(SiteRole),
    /// The pill that names a site's role.
    SitePill(SiteRole),
    /// A site that failed, after a full-site failover: its region, outline and pill.
    FailedSiteFill,
    FailedSiteStroke,
    /// The outline of what the user selected on the canvas.
    Selection,
}

/// A colour as red, green and blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Light or dark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Palette {
    /// On white: the exported diagrams and the light canvas.
    #[default]
    Light,
    /// On a dark canvas.
    Dark,
}

impl Palette {
    /// The colour of a paint, or None for [`Paint::None`].
    pub fn rgb(self, paint: Paint) -> Option<Rgb> {
        match self {
            Self::Light => light(paint),
            Self::Dark => dark(paint),
        }
    }

    /// The colour as SVG writes it: `#rrggbb`, or `none`.
    pub fn svg(self, paint: Paint) -> SvgColour {
        SvgColour(self.rgb(paint))
    }
}

/// A colour as SVG writes it (`Palette::svg`), written where it is formatted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SvgColour(Option<Rgb>);

impl SvgColour {
    /// `#rrggbb` or `none`, made without the standard formatter: a large diagram has a colour or
    /// two in each of its shapes.
    pub fn text(self) -> ColourText {
        let Some(Rgb(red, green, blue)) = self.0 else { return ColourText(*b"none   ", 4) };
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'#'; 7];
        for (at, byte) in [red, green, blue].into_iter().enumerate() {
            text[1 + 2 * at] = DIGITS[usize::from(byte >> 4)];
            text[2 + 2 * at] = DIGITS[usize::from(byte & 0xf)];
        }
        ColourText(text, 7)
    }
}

/// The text of an [`SvgColour`]: its bytes and how many of them are used.
#[derive(Clone, Copy, Debug)]
pub struct ColourText([u8; 7], usize);

impl ColourText {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0[..self.1]).unwrap_or("none")
    }
}

impl std::fmt::Display for SvgColour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().as_str())
    }
}

/// The colours of the exported diagrams.
fn light(paint: Paint) -> Option<Rgb> {
    Some(match paint {
        Paint::None => return None,
        Paint::Background | Paint::MachineFill | Paint::OnBadge | Paint::NetworkFill => Rgb(0xff, 0xff, 0xff),
        Paint::Ink => Rgb(0x26, 0x32, 0x38),
        Paint::Muted => Rgb(0x54, 0x6e, 0x7a),
        Paint::NetworkStroke => Rgb(0x78, 0x90, 0x9c),
        Paint::SubnetFill => Rgb(0xf3, 0xf6, 0xf8),
        Paint::GatewaySubnetFill => Rgb(0xe6, 0xeb, 0xee),
        Paint::SubnetStroke => Rgb(0xb0, 0xbe, 0xc5),
        Paint::MachineStroke => Rgb(0x90, 0xa4, 0xae),
        Paint::NvaFill => Rgb(0xfb, 0xe9, 0xf0),
        Paint::NvaStroke => Rgb(0xad, 0x14, 0x57),
        Paint::GatewayFill => Rgb(0x45, 0x5a, 0x64),
        Paint::CircuitFill => Rgb(0xe0, 0xf2, 0xf1),
        Paint::BadgeFill => Rgb(0x37, 0x47, 0x4f),
        Paint::Divider => Rgb(0xcf, 0xd8, 0xdc),
        Paint::Vpn => Rgb(0x1e, 0x63, 0xc4),
        Paint::Peering => Rgb(0x8e, 0x44, 0xad),
        Paint::ExpressRoute => Rgb(0x00, 0x89, 0x7b),
        Paint::StretchedVlan => Rgb(0x79, 0x55, 0x48),
        Paint::Disconnected => Rgb(0xd3, 0x2f, 0x2f),
        Paint::Established => Rgb(0x2e, 0x9e, 0x44),
        Paint::Moved => Rgb(0xf5, 0x7c, 0x00),
        Paint::MovedFill => Rgb(0xff, 0xf3, 0xe0),
        Paint::SiteFill(SiteRole::Primary) => Rgb(0xea, 0xf1, 0xfb),
        Paint::SiteFill(SiteRole::Recovery) => Rgb(0xed, 0xf6, 0xef),
        Paint::SiteFill(SiteRole::Third) => Rgb(0xf6, 0xf3, 0xea),
        Paint::SiteStroke(SiteRole::Primary) => Rgb(0x78, 0x95, 0xc2),
        Paint::SiteStroke(SiteRole::Recovery) => Rgb(0x7b, 0xa8, 0x83),
        Paint::SiteStroke(SiteRole::Third) => Rgb(0xb3, 0xa0, 0x6e),
        Paint::SitePill(SiteRole::Primary) => Rgb(0x4a, 0x6f, 0xa5),
        Paint::SitePill(SiteRole::Recovery) => Rgb(0x4f, 0x8a, 0x5b),
        Paint::SitePill(SiteRole::Third) => Rgb(0x8c, 0x7a, 0x45),
        Paint::FailedSiteFill => Rgb(0xee, 0xee, 0xee),
        Paint::FailedSiteStroke => Rgb(0x9e, 0x9e, 0x9e),
        Paint::Selection => Rgb(0x00, 0xb0, 0xff),
    })
}

/// The canvas on a dark background: boxes darker than their text, lines as bright as on paper.
fn dark(paint: Paint) -> Option<Rgb> {
    Some(match paint {
        Paint::None => return None,
        Paint::Background => Rgb(0x1b, 0x1f, 0x23),
        Paint::Ink => Rgb(0xe6, 0xea, 0xed),
        Paint::Muted => Rgb(0xa7, 0xb4, 0xbc),
        Paint::NetworkFill => Rgb(0x26, 0x2d, 0x33),
        Paint::NetworkStroke => Rgb(0x8a, 0x9b, 0xa6),
        Paint::SubnetFill => Rgb(0x30, 0x38, 0x3f),
        Paint::GatewaySubnetFill => Rgb(0x3a, 0x43, 0x4a),
        Paint::SubnetStroke => Rgb(0x55, 0x63, 0x6d),
        Paint::MachineFill => Rgb(0x22, 0x28, 0x2d),
        Paint::MachineStroke => Rgb(0x6f, 0x80, 0x8b),
        Paint::NvaFill => Rgb(0x4a, 0x23, 0x33),
        Paint::NvaStroke => Rgb(0xf0, 0x62, 0x92),
        Paint::GatewayFill => Rgb(0x90, 0xa4, 0xae),
        Paint::CircuitFill => Rgb(0x12, 0x3b, 0x37),
        Paint::BadgeFill => Rgb(0xcf, 0xd8, 0xdc),
        Paint::OnBadge => Rgb(0x1b, 0x1f, 0x23),
        Paint::Divider => Rgb(0x45, 0x50, 0x58),
        Paint::Vpn => Rgb(0x5c, 0x9c, 0xf5),
        Paint::Peering => Rgb(0xc0, 0x7c, 0xe0),
        Paint::ExpressRoute => Rgb(0x26, 0xc6, 0xb4),
        Paint::StretchedVlan => Rgb(0xbc, 0x93, 0x7f),
        Paint::Disconnected => Rgb(0xef, 0x53, 0x50),
        Paint::Established => Rgb(0x5c, 0xd1, 0x6e),
        Paint::Moved => Rgb(0xff, 0x9f, 0x2e),
        Paint::MovedFill => Rgb(0x4a, 0x33, 0x12),
        Paint::SiteFill(SiteRole::Primary) => Rgb(0x1f, 0x2b, 0x3d),
        Paint::SiteFill(SiteRole::Recovery) => Rgb(0x1f, 0x33, 0x26),
        Paint::SiteFill(SiteRole::Third) => Rgb(0x36, 0x31, 0x22),
        Paint::SiteStroke(SiteRole::Primary) => Rgb(0x6d, 0x8f, 0xc7),
        Paint::SiteStroke(SiteRole::Recovery) => Rgb(0x6f, 0xab, 0x7b),
        Paint::SiteStroke(SiteRole::Third) => Rgb(0xb8, 0xa3, 0x6a),
        Paint::SitePill(SiteRole::Primary) => Rgb(0x4a, 0x6f, 0xa5),
        Paint::SitePill(SiteRole::Recovery) => Rgb(0x4f, 0x8a, 0x5b),
        Paint::SitePill(SiteRole::Third) => Rgb(0x8c, 0x7a, 0x45),
        Paint::FailedSiteFill => Rgb(0x2a, 0x2a, 0x2a),
        Paint::FailedSiteStroke => Rgb(0x75, 0x75, 0x75),
        Paint::Selection => Rgb(0x40, 0xc4, 0xff),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every meaning a line or an outline can have on a drawing.
    const LINE_MEANINGS: [Paint; 7] =
        [Paint::Vpn, Paint::Peering, Paint::ExpressRoute, Paint::StretchedVlan, Paint::Disconnected, Paint::Established, Paint::Moved];

    #[test]
    fn no_two_line_meanings_share_a_colour_in_either_palette() {
        for palette in [Palette::Light, Palette::Dark] {
            for (index, a) in LINE_MEANINGS.iter().enumerate() {
                for b in &LINE_MEANINGS[index + 1..] {
                    let (ca, cb) = (palette.rgb(*a).unwrap(), palette.rgb(*b).unwrap());
                    let distance =
                        (i32::from(ca.0) - i32::from(cb.0)).abs() + (i32::from(ca.1) - i32::from(cb.1)).abs() + (i32::from(ca.2) - i32::from(cb.2)).abs();
                    assert!(distance > 90, "{palette:?}: {a:?} {ca:?} and {b:?} {cb:?} are too alike");
                }
            }
        }
    }

    #[test]
    fn colours_are_written_for_svg() {
        assert_eq!(Palette::Light.svg(Paint::Vpn).to_string(), "#1e63c4");
        assert_eq!(Palette::Light.svg(Paint::None).to_string(), "none");
    }
}
