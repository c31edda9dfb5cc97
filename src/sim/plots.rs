//! SVG charts of a simulation, drawn with plotters' SVG backend (no system fonts needed: text is
//! written as SVG text elements).

use std::path::Path;

use plotters::prelude::*;

use super::harness::SimError;
use super::metrics::{CurvePoint, Summary};

/// One named series of (x, y) points.
pub struct Series {
    /// Legend name.
    pub name: String,
    /// The points, in x order.
    pub points: Vec<(f64, f64)>,
}

/// A line chart with markers; when `x_labels` is given, x is an index into it.
pub struct Chart<'a> {
    /// Title above the plot.
    pub title: &'a str,
    /// Caption of the y axis.
    pub y_label: &'a str,
    /// Caption of the x axis.
    pub x_label: &'a str,
    /// Names of the x positions 0, 1, ... (categorical x), or none for a numeric axis.
    pub x_labels: Option<&'a [String]>,
    /// The series.
    pub series: &'a [Series],
}

const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

fn draw_error(path: &Path, e: impl std::fmt::Display) -> SimError {
    SimError::Write {
        path: path.to_path_buf(),
        message: format!("drawing the chart failed: {e}"),
    }
}

/// Draws `chart` into the SVG file `path`.
pub fn draw(path: &Path, chart: &Chart<'_>) -> Result<(), SimError> {
    let points = chart.series.iter().flat_map(|s| s.points.iter());
    let (mut x_max, mut y_min, mut y_max) = (1.0f64, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in points {
        x_max = x_max.max(x);
        y_min = y_min.min(y);
        y_max = y_max.max(y);
    }
    if !y_min.is_finite() {
        (y_min, y_max) = (0.0, 1.0);
    }
    let pad = ((y_max - y_min) * 0.1).max(0.05);
    let (y0, y1) = ((y_min - pad).max(0.0), y_max + pad);
    let x_range = match chart.x_labels {
        Some(labels) => -0.5..(labels.len() as f64 - 0.5),
        None => 0.0..x_max * 1.02,
    };

    let root = SVGBackend::new(path, (900, 520)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_error(path, e))?;
    let mut ctx = ChartBuilder::on(&root)
        .caption(chart.title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(x_range, y0..y1)
        .map_err(|e| draw_error(path, e))?;
    let labels = chart.x_labels;
    let formatter = |x: &f64| match labels {
        Some(l) => {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < l.len() {
                l[i as usize].clone()
            } else {
                String::new()
            }
        }
        None => format!("{x:.0}"),
    };
    let mut mesh = ctx.configure_mesh();
    mesh.x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .x_label_formatter(&formatter)
        .label_style(("sans-serif", 13));
    if let Some(l) = labels {
        mesh.x_labels(l.len() * 2 + 1);
    }
    mesh.draw().map_err(|e| draw_error(path, e))?;
    for (i, s) in chart.series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        ctx.draw_series(LineSeries::new(
            s.points.iter().copied(),
            color.stroke_width(2),
        ))
        .map_err(|e| draw_error(path, e))?
        .label(s.name.as_str())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)));
        ctx.draw_series(
            s.points
                .iter()
                .map(|&(x, y)| Circle::new((x, y), 3, color.filled())),
        )
        .map_err(|e| draw_error(path, e))?;
    }
    ctx.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| draw_error(path, e))?;
    root.present().map_err(|e| draw_error(path, e))?;
    Ok(())
}

/// The charts of a run: success and median debt multiple per persona and policy, and the
/// learning curves. Returns the file names written into `dir`.
pub fn draw_all(
    dir: &Path,
    summaries: &[Summary],
    curve: &[CurvePoint],
) -> Result<Vec<String>, SimError> {
    let mut personas: Vec<String> = Vec::new();
    let mut policies: Vec<String> = Vec::new();
    for s in summaries.iter().filter(|s| s.persona != "all") {
        if !personas.contains(&s.persona) {
            personas.push(s.persona.clone());
        }
        if !policies.contains(&s.policy) {
            policies.push(s.policy.clone());
        }
    }
    let per_persona = |value: fn(&Summary) -> Option<f64>| -> Vec<Series> {
        policies
            .iter()
            .map(|policy| Series {
                name: policy.clone(),
                points: personas
                    .iter()
                    .enumerate()
                    .filter_map(|(i, persona)| {
                        summaries
                            .iter()
                            .find(|s| &s.policy == policy && &s.persona == persona)
                            .and_then(value)
                            .map(|v| (i as f64, v))
                    })
                    .collect(),
            })
            .collect()
    };
    let mut written = Vec::new();
    let success = per_persona(|s| s.success.value);
    draw(
        &dir.join("success.svg"),
        &Chart {
            title: "Success rate per persona and policy",
            y_label: "agreements / negotiations",
            x_label: "debtor persona",
            x_labels: Some(&personas),
            series: &success,
        },
    )?;
    written.push("success.svg".to_string());
    let multiple = per_persona(|s| s.median_multiple.value);
    draw(
        &dir.join("debt_multiple.svg"),
        &Chart {
            title: "Median debt multiple per persona and policy (lower is better)",
            y_label: "agreed days / creditor target",
            x_label: "debtor persona",
            x_labels: Some(&personas),
            series: &multiple,
        },
    )?;
    written.push("debt_multiple.svg".to_string());

    if !curve.is_empty() {
        let mut names: Vec<&str> = Vec::new();
        for p in curve {
            if !names.contains(&p.policy.as_str()) {
                names.push(&p.policy);
            }
        }
        let curve_series = |value: fn(&CurvePoint) -> Option<f64>| -> Vec<Series> {
            names
                .iter()
                .map(|name| Series {
                    name: name.to_string(),
                    points: curve
                        .iter()
                        .filter(|p| p.policy == *name)
                        .filter_map(|p| value(p).map(|v| (p.from as f64, v)))
                        .collect(),
                })
                .collect()
        };
        let multiple = curve_series(|p| p.mean_multiple);
        draw(
            &dir.join("learning_multiple.svg"),
            &Chart {
                title: "Learning curve: mean debt multiple per window",
                y_label: "agreed days / creditor target",
                x_label: "negotiation index (window start)",
                x_labels: None,
                series: &multiple,
            },
        )?;
        let success = curve_series(|p| Some(p.success));
        draw(
            &dir.join("learning_success.svg"),
            &Chart {
                title: "Learning curve: success rate per window",
                y_label: "agreements / negotiations",
                x_label: "negotiation index (window start)",
                x_labels: None,
                series: &success,
            },
        )?;
        written.push("learning_multiple.svg".to_string());
        written.push("learning_success.svg".to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_its_title_labels_and_legend_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.svg");
        let labels = vec!["angry".to_string(), "sad".to_string()];
        let series = [Series {
            name: "eq".into(),
            points: vec![(0.0, 1.5), (1.0, 2.0)],
        }];
        draw(
            &path,
            &Chart {
                title: "Median debt multiple",
                y_label: "multiple",
                x_label: "persona",
                x_labels: Some(&labels),
                series: &series,
            },
        )
        .unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        // Text is written as SVG text elements, one per line, so no font library is needed.
        for text in [
            "Median debt multiple",
            "angry",
            "sad",
            "eq",
            "persona",
            "multiple",
        ] {
            assert!(
                svg.contains(&format!(">\n{text}\n</text>")),
                "{text} missing"
            );
        }
        assert!(svg.contains("<polyline") || svg.contains("<path"));
    }

    #[test]
    fn an_unwritable_path_is_an_error_naming_it() {
        let err = draw(
            Path::new("/no/such/dir/c.svg"),
            &Chart {
                title: "t",
                y_label: "y",
                x_label: "x",
                x_labels: None,
                series: &[],
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("/no/such/dir/c.svg"), "{err}");
    }
}
