"""The file sink: what the demo and the UI tests print into."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from drivers.printer.errors import (
    InvalidDocument,
    OutputDirectoryUnusable,
    PrinterConfigError,
    PrinterError,
)
from drivers.printer.file import FileSink


def test_writes_the_pdf_with_a_name_that_says_what_it_is(tmp_path: Path, small_pdf: bytes) -> None:
    sink = FileSink(tmp_path)

    job = sink.print_pdf(small_pdf, title="slip A-0012", paper="80x200mm")

    written = Path(job.where)
    assert written.parent == tmp_path
    assert written.read_bytes() == small_pdf
    assert written.name.endswith("-slip_A-0012-80x200mm.pdf")
    assert job.job_id == written.name
    assert job.finished
    assert [entry.path for entry in sink.output] == [written]
    record = sink.output[0]
    assert (record.title, record.paper, record.size) == ("slip A-0012", "80x200mm", len(small_pdf))
    assert record.sha256 == hashlib.sha256(small_pdf).hexdigest()


def test_files_are_private_because_they_hold_personal_data(
    tmp_path: Path, small_pdf: bytes
) -> None:
    job = FileSink(tmp_path).print_pdf(small_pdf, title="form", paper="A4")

    assert stat.S_IMODE(Path(job.where).stat().st_mode) == 0o600


def test_never_overwrites_an_earlier_document(tmp_path: Path, small_pdf: bytes) -> None:
    first, second = FileSink(tmp_path), FileSink(tmp_path)  # e.g. two runs of the demo

    jobs = [sink.print_pdf(small_pdf, title="slip", paper="A5") for sink in (first, second)]

    assert len({job.where for job in jobs}) == 2
    assert len(list(tmp_path.iterdir())) == 2


def test_a_title_cannot_escape_the_directory(tmp_path: Path, small_pdf: bytes) -> None:
    job = FileSink(tmp_path).print_pdf(small_pdf, title="../../etc/受付票 A", paper="A4")

    assert Path(job.where).parent == tmp_path
    assert "受付票_A" in Path(job.where).name


def test_a_missing_directory_is_reported_not_created(tmp_path: Path, small_pdf: bytes) -> None:
    sink = FileSink(tmp_path / "nowhere")

    assert not sink.is_usable()
    with pytest.raises(OutputDirectoryUnusable) as caught:
        sink.print_pdf(small_pdf, title="slip", paper="A4")

    assert "nowhere" in caught.value.message_ja
    assert "nowhere" in caught.value.message_en
    assert not (tmp_path / "nowhere").exists()
    assert sink.output == []


def test_a_file_where_the_directory_should_be_is_reported(tmp_path: Path, small_pdf: bytes) -> None:
    (tmp_path / "out").write_text("not a directory")

    with pytest.raises(OutputDirectoryUnusable):
        FileSink(tmp_path / "out").print_pdf(small_pdf, title="slip", paper="A4")


def test_refuses_what_is_not_a_pdf(tmp_path: Path) -> None:
    sink = FileSink(tmp_path)

    with pytest.raises(InvalidDocument):
        sink.print_pdf(b"<html>slip</html>", title="slip", paper="A4")
    assert sink.output == []


@pytest.mark.parametrize("paper", ["B9", "80x", "80x200", "80 x 200 mm", "1x1mm", ""])
def test_refuses_a_paper_size_it_cannot_name(tmp_path: Path, small_pdf: bytes, paper: str) -> None:
    with pytest.raises(PrinterConfigError, match="paper size"):
        FileSink(tmp_path).print_pdf(small_pdf, title="slip", paper=paper)


def test_refuses_an_empty_title(tmp_path: Path, small_pdf: bytes) -> None:
    with pytest.raises(PrinterError):
        FileSink(tmp_path).print_pdf(small_pdf, title=" \n", paper="A4")
