"""``presentation.pptx``: the same slides as the PDF, editable by the client's team.

Real text boxes and shapes; each slide's title in its title placeholder; charts as
pictures (PNG drawn from the same SVG, fonts given explicitly) with their text
alternative; shapes in reading order; on every slide, the speaker's notes (a chart's
data table among them). The bytes are the same at every build (fixed
dates, fixed times in the zip). Rendered in a worker, like the PDFs, and cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ..cache.version import code_version
from ..dossier.slides import Slide
from .archive import fixed_zip
from .fonts import FAMILY, FONT_FILES, fonts_digest

NAVY, INK, TERRACOTTA = "143A6B", "1F2933", "B8471B"


@dataclass(frozen=True)
class DeckJob:
    """What a worker needs to write the deck (picklable)."""

    output: Path
    slides: tuple[Slide, ...]
    title: str
    author: str
    created: dt.date
    label: str
    cache: Path | None = None

    suffix = ".pptx"

    def key(self) -> str:
        digest = hashlib.sha256()
        for part in (code_version("documents", libraries=("python-pptx", "resvg-py")),
                     fonts_digest(), self.title, self.author,
                     self.created.isoformat(),
                     json.dumps([asdict(s) for s in self.slides], ensure_ascii=False)):
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()

    def run(self) -> int:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_bytes(deck_bytes(self))
        return len(self.slides)


def png(svg: str) -> bytes:
    """The chart as a picture, three times its drawn size, with the brand's fonts only
    (sizes in points are read as pixels: the picture is placed by its height)."""
    import resvg_py

    svg = re.sub(r'(\s(?:width|height)="[0-9.]+)pt"', r'\1"', svg, count=2)
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=3, background="#ffffff",
                                       skip_system_fonts=True,
                                       font_files=[str(f) for f in FONT_FILES]))


def deck_bytes(job: DeckJob) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    scale = Inches(13.333) / prs.slide_width
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for master in [prs.slide_master, *prs.slide_layouts]:      # 4:3 layouts made 16:9
        for shape in master.placeholders:
            if shape._element.spPr.xfrm is not None:           # else inherited: scaled once
                shape.left, shape.width = Emu(round(shape.left * scale)), \
                    Emu(round(shape.width * scale))

    def style(paragraph, size: int, *, bold: bool = False, colour: str = INK) -> None:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FAMILY
            run.font.color.rgb = RGBColor.from_string(colour)

    def text_box(slide, left, top, width, height, lines: list[tuple[str, int, bool]]):
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, (text, size, bold) in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = text
            paragraph.space_after = Pt(size // 2)
            style(paragraph, size, bold=bold, colour=NAVY if bold else INK)
        return box

    body_left, body_top, body_width = Inches(0.7), Inches(1.75), Inches(11.93)
    for s in job.slides:
        if s.kind == "titre":
            slide = prs.slides.add_slide(prs.slide_layouts[0])
            slide.shapes.title.text = s.title
            style(slide.shapes.title.text_frame.paragraphs[0], 40, bold=True, colour=NAVY)
            subtitle = slide.placeholders[1]
            subtitle.text = "\n".join([s.lead, *s.points])
            for paragraph in subtitle.text_frame.paragraphs:
                style(paragraph, 24)
        else:
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            slide.shapes.title.text = s.title
            style(slide.shapes.title.text_frame.paragraphs[0], 32, bold=True, colour=NAVY)
        if s.kind == "texte":
            lines = ([(s.lead, 28, True)] if s.lead else []) + [(f"• {p}", 22, False)
                                                                for p in s.points]
            text_box(slide, body_left, body_top, body_width, Inches(5), lines)
        elif s.kind == "colonnes":
            half = (body_width - Inches(0.5)) // 2
            for i, column in enumerate(s.columns):
                text_box(slide, body_left + i * (half + Inches(0.5)), body_top, half,
                         Inches(5), [(column.heading, 24, True)]
                         + [(f"• {item}", 20, False) for item in column.items])
        elif s.kind == "graphique":                 # the chart is the slide: its width
            picture = slide.shapes.add_picture(io.BytesIO(png(s.chart)), body_left,
                                               Inches(1.6), width=body_width)
            picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", s.alt)
        elif s.kind == "echelle":
            gap = Inches(0.12)
            width = (body_width - gap * (len(s.steps) - 1)) // len(s.steps)
            for i, step in enumerate(s.steps):
                box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, body_left + i * (width + gap),
                                             body_top, width, Inches(0.9))
                box.fill.solid()
                box.fill.fore_color.rgb = RGBColor.from_string(TERRACOTTA if step.mark
                                                               else "E8F0FB")
                box.line.fill.background()
                box.text_frame.text = "\n".join(filter(None, (step.title, step.state)))
                for paragraph in box.text_frame.paragraphs:
                    style(paragraph, 20, bold=step.mark,
                          colour="FFFFFF" if step.mark else NAVY)
            third = (body_width - Inches(0.8)) // len(s.columns)
            for i, column in enumerate(s.columns):
                text_box(slide, body_left + i * (third + Inches(0.4)), body_top + Inches(1.15),
                         third, Inches(2.4), [(column.heading, 22, True)]
                         + [(f"• {item}", 20, False) for item in column.items])
            if s.lead:
                text_box(slide, body_left, Inches(5.55), body_width, Inches(1.2),
                         [(s.lead, 20, False)])
        elif s.kind == "calendrier":
            if s.lead:
                text_box(slide, body_left, body_top - Inches(0.1), body_width, Inches(0.6),
                         [(s.lead, 22, False)])
            width = body_width // len(s.steps)
            line_top = body_top + Inches(1.2)
            # Shapes in reading order (top to bottom, then left to right): the dots, the
            # line they sit on, the steps' texts.
            for i, step in enumerate(s.steps):
                dot = slide.shapes.add_shape(MSO_SHAPE.OVAL, body_left + i * width,
                                             line_top - Inches(0.1), Inches(0.25),
                                             Inches(0.25))
                dot.fill.solid()
                dot.fill.fore_color.rgb = RGBColor.from_string(
                    "1B7340" if step.state == "Fait" else TERRACOTTA)
                dot.line.fill.background()
            rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, body_left, line_top,
                                          body_width, Inches(0.05))
            rule.fill.solid()
            rule.fill.fore_color.rgb = RGBColor.from_string("1D4F91")
            rule.line.fill.background()
            for i, step in enumerate(s.steps):
                left = body_left + i * width
                box = text_box(slide, left, line_top + Inches(0.3), width - Inches(0.1),
                               Inches(3.2), [(step.title, 20, True), (step.detail, 20, False),
                                             (step.state, 18, True)])
                if step.mark:
                    box.fill.solid()
                    box.fill.fore_color.rgb = RGBColor.from_string("FFF7ED")
        footer = text_box(slide, Inches(0.7), Inches(6.95), Inches(11.9), Inches(0.4),
                          [(f"{job.author} — {job.title}   {s.number} / {s.total}", 12, False)])
        footer.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string("52606D")
        # What to say: python-pptx writes the text as XML text (escaped), never markup.
        slide.notes_slide.notes_text_frame.text = "\n".join(s.script)

    moment = dt.datetime.combine(job.created, dt.time(9, 0))
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = job.title, job.author, job.author
    props.created = props.modified = props.last_printed = moment
    props.revision, props.language = 1, "fr-FR"
    raw = io.BytesIO()
    prs.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times: the same bytes at every build."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return fixed_zip([(info.filename, source.read(info.filename), zipfile.ZIP_DEFLATED)
                          for info in source.infolist()])

