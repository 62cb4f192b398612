//! The architecture map drawn as SVG, laid out here (no Graphviz): the daemon as a banner on
//! top, then columns from the outside in: published ports, containers, networks, and what the
//! containers use (images, volumes, host paths). Containers are grouped by network and every
//! other node sits level with the containers it belongs to, so a host with fifty containers
//! reads top to bottom like a table. Dangerous links (the Docker socket, host mounts, the host
//! network, ports on every interface) are drawn red or orange.
//!
//! The output depends on the map alone (no clock, no hash order), and every string from the
//! host (container, image, network and volume names, paths) goes through [`crate::xml`]:
//! a container named `<script>` is text in the drawing, never markup.

use crate::map::{ArchitectureMap, MapEdge, MapNode};
use crate::xml;
use std::fmt::Write;

const MARGIN: f64 = 20.0;
const COLUMN_WIDTH: f64 = 230.0;
/// Room between columns for the curves and the mount labels written along them.
const COLUMN_GAP: f64 = 140.0;
const NODE_GAP: f64 = 12.0;
const BANNER_HEIGHT: f64 = 52.0;
const HEADER_HEIGHT: f64 = 28.0;
const PADDING: f64 = 8.0;
const KIND_LINE: f64 = 13.0;
const LABEL_LINE: f64 = 17.0;
const DETAIL_LINE: f64 = 14.0;
/// Detail lines shown on a node; the rest are counted (`+3 more`) and listed in its tooltip.
const MAX_DETAILS: usize = 5;
/// Average glyph width as a share of the font size, for regular and bold sans-serif text (DejaVu
/// Sans measures about 0.5 and 0.57 on names and paths): generous, so a name cut to fit does fit.
const GLYPH_WIDTH: f64 = 0.55;
const BOLD_GLYPH_WIDTH: f64 = 0.63;

const RED: &str = "#c62828";
const ORANGE: &str = "#e65100";
const GREY: &str = "#7b8794";

/// The columns, left to right, and what goes in each.
const COLUMNS: [(&str, &[&str]); 4] = [
    ("Published ports", &["port"]),
    ("Containers", &["container"]),
    ("Networks", &["network"]),
    ("Images, volumes, host paths", &["image", "volume", "host-path"]),
];

struct Placed {
    node: usize,
    column: usize,
    y: f64,
    height: f64,
}

fn column_of(kind: &str) -> Option<usize> {
    COLUMNS.iter().position(|(_, kinds)| kinds.contains(&kind))
}

fn column_x(column: usize) -> f64 {
    MARGIN + column as f64 * (COLUMN_WIDTH + COLUMN_GAP)
}

fn node_height(node: &MapNode) -> f64 {
    let details = node.details.len().min(MAX_DETAILS) + usize::from(node.details.len() > MAX_DETAILS);
    PADDING * 2.0 + KIND_LINE + LABEL_LINE + details as f64 * DETAIL_LINE
}

/// `text` cut to what fits in `width` pixels at `font_size` (a font size of the labels, which are
/// bold, counts wider), with an ellipsis when cut.
fn fit(text: &str, width: f64, font_size: f64) -> String {
    let glyph = if font_size >= 13.0 { BOLD_GLYPH_WIDTH } else { GLYPH_WIDTH };
    let max = ((width / (font_size * glyph)).floor() as usize).max(2);
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if clean.chars().count() <= max {
        clean
    } else {
        let mut cut: String = clean.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

fn kind_name(kind: &str) -> &str {
    match kind {
        "host-path" => "host path",
        other => other,
    }
}

/// Orders a column's nodes by the mean position of the containers they link to (nodes linked
/// to none go last), ties kept in map order.
fn order_by_neighbours(nodes: &mut [usize], positions: &[Option<f64>], neighbours: &dyn Fn(usize) -> Vec<usize>) {
    let key = |node: usize| -> f64 {
        let linked: Vec<f64> = neighbours(node).into_iter().filter_map(|n| positions[n]).collect();
        if linked.is_empty() { f64::MAX } else { linked.iter().sum::<f64>() / linked.len() as f64 }
    };
    let mut keyed: Vec<(f64, usize)> = nodes.iter().map(|&n| (key(n), n)).collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (slot, (_, node)) in nodes.iter_mut().zip(keyed) {
        *slot = node;
    }
}

struct Layout {
    placed: Vec<Placed>,
    width: f64,
    height: f64,
}

fn layout(map: &ArchitectureMap) -> Layout {
    let index = |id: &str| map.nodes.iter().position(|n| n.id == id);
    // Links between nodes, by index, without the daemon's `runs` edges (the banner says it).
    let links: Vec<(usize, usize)> =
        map.edges.iter().filter(|e| e.from != "daemon").filter_map(|e| Some((index(&e.from)?, index(&e.to)?))).collect();
    let neighbours = |node: usize| -> Vec<usize> {
        links.iter().filter_map(|&(a, b)| if a == node { Some(b) } else if b == node { Some(a) } else { None }).collect()
    };
    let in_column = |column: usize| -> Vec<usize> {
        map.nodes.iter().enumerate().filter(|(_, n)| column_of(&n.kind) == Some(column)).map(|(i, _)| i).collect()
    };

    // Networks in the order containers first join them; containers grouped by their first network.
    let mut networks = in_column(2);
    let first_use = |network: usize| links.iter().position(|&(a, b)| b == network && map.nodes[a].kind == "container");
    networks.sort_by_key(|&n| (first_use(n).unwrap_or(usize::MAX), n));
    let mut containers = in_column(1);
    let first_network = |container: usize| -> usize {
        networks.iter().position(|&n| links.contains(&(container, n))).unwrap_or(usize::MAX)
    };
    containers.sort_by_key(|&c| (first_network(c), c));

    let mut positions: Vec<Option<f64>> = vec![None; map.nodes.len()];
    for (rank, &container) in containers.iter().enumerate() {
        positions[container] = Some(rank as f64);
    }
    let mut ports = in_column(0);
    order_by_neighbours(&mut ports, &positions, &neighbours);
    order_by_neighbours(&mut networks, &positions, &neighbours);
    let mut used = in_column(3);
    order_by_neighbours(&mut used, &positions, &neighbours);

    let top = MARGIN + BANNER_HEIGHT + NODE_GAP + HEADER_HEIGHT;
    let mut placed: Vec<Placed> = Vec::new();
    let mut bottom = top;
    // Containers first, stacked; every other column is then placed level with the containers
    // each node links to, pushed down only as far as needed not to overlap its neighbour above.
    let mut centre = vec![None; map.nodes.len()];
    let mut y = top;
    for &node in &containers {
        let height = node_height(&map.nodes[node]);
        placed.push(Placed { node, column: 1, y, height });
        centre[node] = Some(y + height / 2.0);
        y += height + NODE_GAP;
    }
    bottom = bottom.max(y);
    for (column, nodes) in [(0, &ports), (2, &networks), (3, &used)] {
        let mut next_free = top;
        for &node in nodes.iter() {
            let height = node_height(&map.nodes[node]);
            let linked: Vec<f64> = neighbours(node).into_iter().filter_map(|n| centre[n]).collect();
            let wanted = if linked.is_empty() { next_free } else { linked.iter().sum::<f64>() / linked.len() as f64 - height / 2.0 };
            let y = wanted.max(next_free);
            placed.push(Placed { node, column, y, height });
            next_free = y + height + NODE_GAP;
        }
        bottom = bottom.max(next_free);
    }
    Layout { placed, width: column_x(COLUMNS.len()) - COLUMN_GAP + MARGIN, height: bottom + MARGIN }
}

/// Style of a link: colour, width and dash.
fn edge_style(edge: &MapEdge) -> (&'static str, f64, &'static str) {
    match edge.warning.as_deref() {
        Some("Docker socket" | "host root or configuration") => (RED, 3.0, ""),
        Some("published on every interface") => (ORANGE, 2.0, ""),
        Some(_) => (RED, 2.0, "6 3"),
        None => (GREY, 1.2, ""),
    }
}

fn node_colours(node: &MapNode) -> (&'static str, &'static str) {
    let fill = match node.kind.as_str() {
        "container" => "#ffffff",
        "network" => "#eef7ee",
        "port" => "#fff4e5",
        "image" => "#f3eefa",
        "volume" => "#eaf3fb",
        "host-path" => "#fdecea",
        _ => "#eef2f7",
    };
    let stroke = if node.warning.is_some() { RED } else { "#4a5d73" };
    (fill, stroke)
}

/// A detail worth a colour: what widens the attack surface in red or orange, what narrows it in
/// green.
fn detail_colour(detail: &str) -> &'static str {
    match detail {
        "privileged" | "TLS verify off" | "the host's network stack" => RED,
        d if d.ends_with("(end of life)") => RED,
        "every interface" | "icc on" | "not internal" | "user root" => ORANGE,
        "internal" | "icc off" | "one interface" | "TLS verify on" => "#2e7d32",
        d if d.starts_with("cap_add") || d.starts_with("host ") => RED,
        _ => "#37474f",
    }
}

fn write_node(out: &mut String, node: &MapNode, x: f64, y: f64, height: f64) {
    let (fill, stroke) = node_colours(node);
    let width = if node.kind == "daemon" { 0.0 } else { COLUMN_WIDTH };
    let mut tooltip = format!("{}: {}", kind_name(&node.kind), node.label);
    for detail in &node.details {
        tooltip.push('\n');
        tooltip.push_str(detail);
    }
    if let Some(warning) = &node.warning {
        tooltip.push_str("\nwarning: ");
        tooltip.push_str(warning);
    }
    let _ = writeln!(out, "<g class=\"rm-node rm-{}\">", xml::attr(&node.kind));
    let _ = writeln!(out, "<title>{}</title>", xml::text(&tooltip));
    let stroke_width = if node.warning.is_some() { 2.5 } else { 1.2 };
    let radius = if node.kind == "network" { 14 } else { 4 };
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"/>"
    );
    let text_x = x + PADDING;
    let inner = width - 2.0 * PADDING;
    let mut line_y = y + PADDING + KIND_LINE - 3.0;
    let mut kind_line = kind_name(&node.kind).to_string();
    if let Some(warning) = &node.warning {
        kind_line.push_str(" · ");
        kind_line.push_str(warning);
    }
    let kind_colour = if node.warning.is_some() { RED } else { GREY };
    let _ = writeln!(out, "<text x=\"{text_x:.1}\" y=\"{line_y:.1}\" class=\"rm-kind\" fill=\"{kind_colour}\">{}</text>", xml::text(&fit(&kind_line, inner, 10.0)));
    line_y += LABEL_LINE;
    let _ = writeln!(out, "<text x=\"{text_x:.1}\" y=\"{line_y:.1}\" class=\"rm-label\">{}</text>", xml::text(&fit(&node.label, inner, 13.0)));
    for detail in node.details.iter().take(MAX_DETAILS) {
        line_y += DETAIL_LINE;
        let _ = writeln!(
            out,
            "<text x=\"{text_x:.1}\" y=\"{line_y:.1}\" class=\"rm-detail\" fill=\"{}\">{}</text>",
            detail_colour(detail),
            xml::text(&fit(detail, inner, 11.0))
        );
    }
    if node.details.len() > MAX_DETAILS {
        line_y += DETAIL_LINE;
        let more = format!("+{} more", node.details.len() - MAX_DETAILS);
        let _ = writeln!(out, "<text x=\"{text_x:.1}\" y=\"{line_y:.1}\" class=\"rm-detail\" fill=\"{GREY}\">{more}</text>");
    }
    out.push_str("</g>\n");
}

/// The daemon across the top: its label, then its details on one line.
fn write_banner(out: &mut String, daemon: Option<&MapNode>, width: f64, containers: usize) {
    let Some(node) = daemon else { return };
    let (fill, stroke) = node_colours(node);
    let stroke_width = if node.warning.is_some() { 2.5 } else { 1.2 };
    let _ = writeln!(out, "<g class=\"rm-node rm-daemon\">");
    let mut tooltip = node.label.clone();
    for detail in &node.details {
        tooltip.push('\n');
        tooltip.push_str(detail);
    }
    let _ = writeln!(out, "<title>{}</title>", xml::text(&tooltip));
    let inner = width - 2.0 * MARGIN;
    let _ = writeln!(
        out,
        "<rect x=\"{MARGIN}\" y=\"{MARGIN}\" width=\"{inner:.1}\" height=\"{BANNER_HEIGHT}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"/>"
    );
    let mut headline = format!("{} · runs {containers} container(s)", node.label);
    if let Some(warning) = &node.warning {
        headline.push_str(" · ");
        headline.push_str(warning);
    }
    let colour = if node.warning.is_some() { RED } else { "#1f2933" };
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" class=\"rm-label\" fill=\"{colour}\">{}</text>",
        MARGIN + PADDING * 1.5,
        MARGIN + 21.0,
        xml::text(&fit(&headline, inner - 3.0 * PADDING, 13.0))
    );
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" class=\"rm-detail\" fill=\"#37474f\">{}</text>",
        MARGIN + PADDING * 1.5,
        MARGIN + 40.0,
        xml::text(&fit(&node.details.join(" · "), inner - 3.0 * PADDING, 11.0))
    );
    out.push_str("</g>\n");
}

/// Renders `map` as a standalone SVG document (also embeddable in HTML as is).
pub fn render_svg(map: &ArchitectureMap) -> String {
    let Layout { placed, width, height } = layout(map);
    let find = |id: &str| -> Option<&Placed> {
        let index = map.nodes.iter().position(|n| n.id == id)?;
        placed.iter().find(|p| p.node == index)
    };
    let containers = map.nodes.iter().filter(|n| n.kind == "container").count();
    let legend_height = LEGEND_LINE * if width < 1200.0 { 3.0 } else { 2.0 } + 8.0;
    let total_height = height + legend_height;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rampart-map\" width=\"{width:.0}\" height=\"{total_height:.0}\" viewBox=\"0 0 {width:.0} {total_height:.0}\" role=\"img\" aria-label=\"Architecture map: {containers} container(s)\">"
    );
    out.push_str(
        "<style>.rampart-map text{font-family:sans-serif;white-space:pre}.rampart-map .rm-kind{font-size:10px}\
         .rampart-map .rm-label{font-size:13px;font-weight:bold}.rampart-map .rm-detail{font-size:11px}\
         .rampart-map .rm-edge-label{font-size:10px;paint-order:stroke;stroke:#fff;stroke-width:3px}\
         .rampart-map .rm-head{font-size:12px;font-weight:bold;fill:#52606d}</style>\n",
    );
    let _ = writeln!(out, "<rect width=\"{width:.0}\" height=\"{total_height:.0}\" fill=\"#ffffff\"/>");
    write_banner(&mut out, map.nodes.iter().find(|n| n.kind == "daemon"), width, containers);
    for (column, (title, _)) in COLUMNS.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"rm-head\">{}</text>",
            column_x(column),
            MARGIN + BANNER_HEIGHT + NODE_GAP + 16.0,
            xml::text(title)
        );
    }

    // Links under the boxes. Each box spreads its outgoing links down its right side and its
    // incoming ones down its left side, in the order of the other ends, so they do not cross
    // at the box.
    let drawn: Vec<(&MapEdge, &Placed, &Placed)> =
        map.edges.iter().filter(|e| e.from != "daemon").filter_map(|e| Some((e, find(&e.from)?, find(&e.to)?))).collect();
    let anchor = |placed: &Placed, outgoing: bool, edge_index: usize| -> f64 {
        let mut siblings: Vec<(f64, usize)> = drawn
            .iter()
            .enumerate()
            .filter(|(_, (_, from, to))| if outgoing { from.node == placed.node } else { to.node == placed.node })
            .map(|(i, (_, from, to))| (if outgoing { to.y } else { from.y }, i))
            .collect();
        siblings.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let rank = siblings.iter().position(|&(_, i)| i == edge_index).unwrap_or(0);
        let usable = (placed.height - 2.0 * PADDING).max(1.0);
        placed.y + PADDING + usable * (rank as f64 + 1.0) / (siblings.len() as f64 + 1.0)
    };
    let mut labels = String::new();
    for (i, (edge, from, to)) in drawn.iter().enumerate() {
        let (colour, stroke_width, dash) = edge_style(edge);
        let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
        let title = match &edge.warning {
            Some(warning) => format!("{} -> {} {}: {warning}", edge.from, edge.to, edge.label),
            None => format!("{} -> {} {}", edge.from, edge.to, edge.label),
        };
        let path = if from.column == to.column {
            // Same column (a container sharing another's network): a loop out to the left.
            let x = column_x(from.column);
            let (y1, y2) = (from.y + from.height / 2.0, to.y + to.height / 2.0);
            format!("M{x:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x:.1},{y2:.1}", x - 60.0, x - 60.0)
        } else {
            let (left, right, left_out) = if from.column < to.column { (from, to, true) } else { (to, from, false) };
            let x1 = column_x(left.column) + COLUMN_WIDTH;
            let x2 = column_x(right.column);
            let y1 = anchor(left, left_out, i);
            let y2 = anchor(right, !left_out, i);
            let bend = (x2 - x1) / 2.0;
            if !edge.label.is_empty() && edge.label != "image" {
                // The label sits at the container's end: the mount's path inside it, or the
                // container port a published port leads to.
                let (lx, ly, anchor_side) =
                    if map.nodes[left.node].kind == "container" { (x1 + 6.0, y1 - 3.0, "start") } else { (x2 - 6.0, y2 - 3.0, "end") };
                let _ = writeln!(
                    labels,
                    "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor_side}\" class=\"rm-edge-label\" fill=\"{colour}\">{}</text>",
                    xml::text(&fit(&edge.label, COLUMN_GAP - 12.0, 10.0))
                );
            }
            format!("M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}", x1 + bend, x2 - bend)
        };
        let _ = writeln!(
            out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{stroke_width}\"{dash}><title>{}</title></path>",
            xml::text(&title)
        );
    }
    for placed in &placed {
        write_node(&mut out, &map.nodes[placed.node], column_x(placed.column), placed.y, placed.height);
    }
    out.push_str(&labels);
    write_legend(&mut out, height, width);
    out.push_str("</svg>\n");
    out
}

/// The key to the colours, under the drawing, wrapped to its width.
fn write_legend(out: &mut String, top: f64, width: f64) {
    let items = [
        (RED, 3.0, "", "Docker socket, host / or /etc mounted"),
        (RED, 2.0, "6 3", "other host mount, host network"),
        (ORANGE, 2.0, "", "port published on every interface"),
        (GREY, 1.2, "", "other link"),
        ("", 0.0, "", "red box: privileged, dangerous capability, host namespace, daemon on TCP without TLS"),
    ];
    let (mut x, mut y) = (MARGIN, top);
    for (colour, stroke_width, dash, text) in items {
        let item_width = 50.0 + text.len() as f64 * 6.5;
        if x > MARGIN && x + item_width > width {
            x = MARGIN;
            y += LEGEND_LINE;
        }
        if colour.is_empty() {
            let _ = writeln!(out, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"30\" height=\"14\" rx=\"3\" fill=\"#fff\" stroke=\"{RED}\" stroke-width=\"2.5\"/>", y + 3.0);
        } else {
            let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"{stroke_width}\"{dash}/>",
                y + 10.0,
                x + 30.0,
                y + 10.0
            );
        }
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{:.1}\" class=\"rm-detail\" fill=\"#37474f\">{text}</text>", x + 36.0, y + 14.0);
        x += item_width;
    }
}

/// Height of the legend under a drawing `width` wide (the same wrapping as [`write_legend`]).
const LEGEND_LINE: f64 = 22.0;
