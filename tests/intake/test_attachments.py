"""Photos: recognised by content, re-encoded without metadata, kept in the database, refused with the text kept."""
import io

import pytest
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Attachment, AttachmentBlob, Report
from reporting.uploads import MAX_FILE_BYTES
from tests.intake.conftest import image_file

SECRET = "secret-marker-5ea1"


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_gps() -> tuple[io.BytesIO, str]:
    """A 64x48 photo taken rotated (orientation 6), with GPS, a camera model, XMP, a comment and ICC."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Model] = SECRET
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0)}
    return image_file("JPEG", (64, 48), exif=exif.tobytes(), comment=SECRET.encode(),
                      xmp=f"<x:xmpmeta>{SECRET}</x:xmpmeta>".encode(), icc_profile=srgb_profile())


def png_with_text() -> tuple[io.BytesIO, str]:
    info = PngInfo()
    info.add_text("Author", SECRET)
    info.add_itxt("Description", SECRET, lang="zh", tkey="描述")
    return image_file("PNG", (30, 20), pnginfo=info, icc_profile=srgb_profile())


def stored_photos() -> list[bytes]:
    """The bytes of every photo the database keeps, in the order they came."""
    return list(db.session.scalars(select(AttachmentBlob.data).order_by(AttachmentBlob.attachment_id)))


def test_a_jpeg_loses_gps_exif_xmp_comment_and_icc_and_stays_upright(app, submit):
    response = submit(attachments=[jpeg_with_gps()])
    assert response.status_code == 200
    (data,) = stored_photos()
    assert SECRET.encode() not in data and b"Exif" not in data and b"ICC_PROFILE" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
    assert image.size == (48, 64)  # orientation 6 applied, then dropped


def test_a_png_loses_its_text_chunks_and_icc(app, submit):
    assert submit(attachments=[png_with_text()]).status_code == 200
    (data,) = stored_photos()
    assert SECRET.encode() not in data
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf"):
        assert chunk not in data
    assert Image.open(io.BytesIO(data)).size == (30, 20)


def test_webp_is_accepted_and_nothing_is_written_to_disk(app, submit):
    """The bytes are in the database beside their attachment's row, so any app host serves them; the upload's
    name, which can name the reporter, is kept nowhere."""
    assert submit(attachments=[image_file("WEBP", name="张三家门口.webp")]).status_code == 200
    (data,) = stored_photos()
    assert Image.open(io.BytesIO(data)).format == "WEBP" and "张三".encode() not in data
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert (attachment.content_type, attachment.size) == ("image/webp", len(data))
    assert attachment.report_id is not None and attachment.message_id is None
    assert not app.config["UPLOAD_DIR"].exists()


def test_a_phone_jpeg_with_a_depth_map_is_accepted_as_jpeg(app, submit):
    buffer = io.BytesIO()
    first, depth = Image.new("RGB", (40, 30), (10, 200, 10)), Image.new("RGB", (40, 30), (0, 0, 0))
    first.save(buffer, "MPO", save_all=True, append_images=[depth])
    buffer.seek(0)
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    assert submit(attachments=[(buffer, "IMG_2026.jpg")]).status_code == 200
    (data,) = stored_photos()
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert db.session.scalars(select(Attachment.content_type)).all() == ["image/jpeg"]


def test_several_photos_are_kept_in_order(app, submit):
    files = [image_file(size=(10 + i, 10)) for i in range(5)]
    assert submit(attachments=files).status_code == 200
    widths = [a.width for a in db.session.scalars(select(Attachment).order_by(Attachment.id))]
    assert widths == [10, 11, 12, 13, 14]


def decompression_bomb():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")  # 100 megapixels in a few kilobytes
    buffer.seek(0)
    return buffer, "bomb.png"


def gif():
    return image_file("GIF")


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        (lambda: [(io.BytesIO(b"MZ not a picture at all"), "photo.jpg")], "只能上传 JPEG、PNG 或 WebP"),
        (lambda: [gif()], "只能上传 JPEG、PNG 或 WebP"),
        (lambda: [(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "scan.pdf")], "只能上传 JPEG、PNG 或 WebP"),  # PDFs: staff only
        (lambda: [decompression_bomb()], "照片像素过多"),
        (lambda: [(io.BytesIO(b"\xff\xd8" + b"0" * MAX_FILE_BYTES), "huge.jpg")], "照片超过 10 MB：huge.jpg"),
        (lambda: [image_file() for _ in range(6)], "最多上传 5 张照片"),
    ],
)
def test_refused_photos_keep_the_text_and_store_nothing(app, submit, files, reason):
    response = submit(content="附件被拒时文字要保留。", attachments=files())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert reason in page and "附件被拒时文字要保留。" in page and "请重新选择照片" in page
    assert stored_photos() == []
    assert db.session.scalars(select(Attachment)).all() == []


def test_a_request_over_the_size_cap_gets_the_413_page(client, open_round):
    body = io.BytesIO(b"0" * (61 * 1024 * 1024))
    response = client.post(f"/r/{open_round.round_code.token}",
                           data={"content": "很大的附件", "attachments": (body, "big.jpg")})
    assert response.status_code == 413
    assert "提交的内容过大" in response.get_data(as_text=True)


def test_photos_of_a_report_the_database_refused_are_not_kept(app, submit, monkeypatch):
    """The photos join the report's transaction: when it fails after they were added, none of them is left."""
    written = []

    def refuse(*args, **kwargs):
        db.session.flush()
        written.append(len(stored_photos()))
        raise RuntimeError("database refused")

    monkeypatch.setattr("reporting.tally.count", refuse)  # runs after the photos are added
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert submit(attachments=[image_file(), image_file()]).status_code == 500
    assert written == [2]  # they had reached the database
    assert stored_photos() == []
    assert db.session.scalars(select(Attachment)).all() == []
    assert db.session.scalars(select(Report)).all() == []


def test_a_large_rotated_phone_photo_is_decoded_small_upright_and_without_metadata(app, submit):
    """4032x3024 (12 megapixels) with orientation 6 and GPS: decoded at half size (JPEG draft), then turned."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Model] = SECRET
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0)}
    assert submit(attachments=[image_file("JPEG", (4032, 3024), exif=exif.tobytes())]).status_code == 200
    (data,) = stored_photos()
    image = Image.open(io.BytesIO(data))
    assert image.size == (1512, 2016) and not image.getexif() and SECRET.encode() not in data


def test_the_pixels_of_one_request_are_bounded(submit):
    """Five photos each within the limit may not together bring more than twice a photo's limit of pixels."""
    big = [image_file("PNG", (8000, 5000)) for _ in range(3)]  # 40 megapixels each, 120 in all
    answer = submit(content="三张很大的图片。", attachments=big)
    assert answer.status_code == 400 and "三张很大的图片。" in answer.get_data(as_text=True)
