from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile, PngImagePlugin

from civicgrid.core.errors import DomainError
from civicgrid.core.images import (
    MAX_PHOTOS_PER_APPEAL,
    clean_filename,
    process_image,
)

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def photo(size=(40, 30), color=RED, mode="RGB") -> Image.Image:
    return Image.new(mode, size, color)


def noisy_jpeg(size=(256, 256)) -> bytes:
    """Noise compresses badly, so half the file is half the scan data."""
    return encode(Image.effect_noise(size, 64).convert("RGB"), "JPEG", quality=95)


def red_left_blue_right(size=(80, 40)) -> Image.Image:
    image = photo(size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretPhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 17.0)
    gps[ExifTags.GPS.GPSMapDatum] = "HOME-OF-RESIDENT"
    return exif


def refusal(data, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        process_image(data, **kwargs)
    return caught.value


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def test_at_most_nine_photos_per_appeal():
    assert MAX_PHOTOS_PER_APPEAL == 9


def test_gps_and_all_exif_are_stripped():
    source = encode(
        red_left_blue_right(),
        "JPEG",
        exif=phone_exif(orientation=1),
        comment=b"taken at home",
    )
    assert opened(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's own

    result = process_image(source, filename="IMG_0001.jpg")

    out = opened(result.content)
    assert out.format == "JPEG"
    assert dict(out.getexif()) == {}
    assert not {"exif", "comment", "xmp", "icc_profile"} & out.info.keys()
    for secret in (b"Exif", b"HOME-OF-RESIDENT", b"SecretPhoneMaker", b"at home"):
        assert secret not in result.content
    assert result.content_type == "image/jpeg"
    assert result.extension == "jpg"


def test_exif_orientation_is_applied_so_the_photo_stays_upright():
    # Orientation 6: the camera stored the picture turned; viewers rotate it 90°
    # clockwise, which brings the red left half to the top.
    source = encode(red_left_blue_right((80, 40)), "JPEG", exif=phone_exif(6))

    result = process_image(source, filename="IMG_0002.jpg")

    assert (result.width, result.height) == (40, 80)
    out = opened(result.content).convert("RGB")
    assert out.size == (40, 80)
    top, bottom = out.getpixel((20, 10)), out.getpixel((20, 70))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > 150 > top[2]
    assert bottom[2] > 150 > bottom[0]
    assert dict(out.getexif()) == {}


def test_png_with_alpha_keeps_its_transparency():
    image = photo((30, 20), (0, 128, 0, 255), mode="RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "home address")

    result = process_image(encode(image, "PNG", pnginfo=text), filename="a.png")

    out = opened(result.content)
    assert (out.format, out.mode) == ("PNG", "RGBA")
    assert out.getpixel((0, 0)) == (0, 0, 0, 0)
    assert out.getpixel((5, 5)) == (0, 128, 0, 255)
    assert "Comment" not in out.info
    assert b"home address" not in result.content
    assert (result.content_type, result.extension) == ("image/png", "png")


def test_png_without_alpha_comes_out_rgb():
    result = process_image(encode(photo(mode="L", color=90), "PNG"), filename="g.png")

    assert opened(result.content).mode == "RGB"


def test_webp_is_accepted():
    result = process_image(encode(photo(), "WEBP"), filename="photo.webp")

    assert opened(result.content).format == "WEBP"
    assert (result.content_type, result.extension) == ("image/webp", "webp")
    assert (result.width, result.height) == (40, 30)


def test_a_phone_jpeg_with_extra_frames_is_kept_as_its_first_frame():
    # Phones write MPO (a JPEG with HDR gain map or depth frames after the photo).
    source = io.BytesIO()
    photo(color=RED).save(source, "MPO", save_all=True, append_images=[photo()])
    assert opened(source.getvalue()).format == "MPO"  # the test's own

    result = process_image(source.getvalue(), filename="IMG_0003.jpg")

    out = opened(result.content)
    assert out.format == "JPEG"
    assert getattr(out, "n_frames", 1) == 1


def test_an_animated_png_is_reduced_to_its_first_frame():
    source = io.BytesIO()
    photo(color=RED).save(
        source, "PNG", save_all=True, append_images=[photo(color=BLUE)]
    )
    assert getattr(opened(source.getvalue()), "n_frames", 1) == 2  # the test's own

    result = process_image(source.getvalue(), filename="anim.png")

    out = opened(result.content)
    assert getattr(out, "n_frames", 1) == 1
    assert out.convert("RGB").getpixel((5, 5)) == RED


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(fmt):
    error = refusal(encode(photo(), fmt), filename=f"photo.{fmt.lower()}")

    assert "is not a JPEG, PNG or WebP photo" in error.message


def test_a_text_file_renamed_jpg_is_refused():
    error = refusal(b"just some notes, not a photo\n" * 10, filename="notes.jpg")

    assert "is not a JPEG, PNG or WebP photo" in error.message


def test_a_jpeg_cut_in_half_is_refused():
    source = noisy_jpeg()

    error = refusal(source[: len(source) // 2], filename="half.jpg")

    assert "damaged or incomplete" in error.message
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_png_cut_in_half_is_refused():
    source = encode(Image.effect_noise((128, 128), 64), "PNG")

    error = refusal(source[: len(source) // 2], filename="half.png")

    assert "damaged or incomplete" in error.message


def test_an_empty_file_is_refused():
    assert "is empty" in refusal(b"", filename="empty.jpg").message
    assert "is empty" in refusal(io.BytesIO(), filename="empty.jpg").message


def test_a_file_over_the_byte_limit_is_refused(settings):
    source = noisy_jpeg()
    settings.CIVICGRID_MAX_PHOTO_BYTES = len(source) - 1

    error = refusal(source, filename="big.jpg")

    assert "“big.jpg” is larger than" in error.message


def test_a_file_exactly_at_the_byte_limit_is_accepted(settings):
    source = noisy_jpeg()
    settings.CIVICGRID_MAX_PHOTO_BYTES = len(source)

    assert process_image(source, filename="fits.jpg").width == 256


def test_an_oversized_upload_is_refused_without_reading_all_of_it(settings):
    class CountingReader(io.BytesIO):
        bytes_read = 0

        def read(self, size: int | None = -1, /) -> bytes:
            chunk = super().read(size)
            self.bytes_read += len(chunk)
            return chunk

    settings.CIVICGRID_MAX_PHOTO_BYTES = 1000
    upload = CountingReader(b"\xff\xd8\xff" + b"\0" * 5_000_000)

    error = refusal(upload, filename="huge.jpg")

    assert "is larger than" in error.message
    assert upload.bytes_read <= 1001


def test_an_upload_already_read_by_a_form_is_read_from_its_start():
    upload = SimpleUploadedFile("IMG_0004.jpg", encode(photo(), "JPEG"))
    upload.read()

    result = process_image(upload)

    assert (result.width, result.height) == (40, 30)
    assert result.original_name == "IMG_0004.jpg"


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.CIVICGRID_MAX_PHOTO_PIXELS = 1000
    source = encode(photo((100, 100)), "PNG")

    error = refusal(source, filename="bomb.png")

    assert "too many pixels" in error.message
    # At the limit is still fine.
    settings.CIVICGRID_MAX_PHOTO_PIXELS = 100 * 100
    assert process_image(source).width == 100


def test_pillows_own_decompression_bomb_error_is_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    error = refusal(encode(photo((100, 100)), "PNG"), filename="bomb.png")

    assert "too many pixels" in error.message


def test_very_large_dimensions_are_kept():
    result = process_image(encode(photo((4000, 3000)), "JPEG"))

    assert (result.width, result.height) == (4000, 3000)
    assert opened(result.content).size == (4000, 3000)


def test_thumbnail_of_a_big_photo_is_a_jpeg_320_on_its_longest_side():
    result = process_image(encode(photo((1000, 500)), "PNG"))

    thumb = opened(result.thumbnail)
    assert (thumb.format, thumb.mode, thumb.size) == ("JPEG", "RGB", (320, 160))
    assert result.thumbnail_content_type == "image/jpeg"
    portrait = opened(process_image(encode(photo((300, 900)), "JPEG")).thumbnail)
    assert max(portrait.size) == 320


def test_thumbnail_of_a_small_photo_keeps_its_size():
    thumb = opened(process_image(encode(photo((100, 50)), "WEBP")).thumbnail)

    assert (thumb.format, thumb.mode, thumb.size) == ("JPEG", "RGB", (100, 50))


def test_thumbnail_of_a_transparent_png_is_white_where_transparent():
    image = photo((50, 50), (0, 0, 0, 0), mode="RGBA")

    thumb = opened(process_image(encode(image, "PNG")).thumbnail)

    pixel = thumb.getpixel((25, 25))
    assert isinstance(pixel, tuple)
    assert min(pixel) > 245


def test_sha256_is_the_hash_of_the_content():
    result = process_image(encode(photo(), "JPEG"))

    assert result.sha256 == hashlib.sha256(result.content).hexdigest()


def test_the_error_names_the_file_and_the_given_field():
    error = refusal(encode(photo(), "GIF"), filename="IMG_0005.gif", field="reply")

    assert error.field == "reply"
    assert "IMG_0005.gif" in error.message


def test_the_error_without_a_file_name_still_reads_well():
    error = refusal(b"")

    assert error.field == "photos"
    assert error.message == "The photo is empty."


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\li\\Pictures\\IMG_0006.JPG", "IMG_0006.JPG"),
        ("  报修照片.jpg ", "报修照片.jpg"),
        ("gpj\u202e.exe", "gpj.exe"),
        ("line\nbreak.png", "linebreak.png"),
        (".hidden.png", "hidden.png"),
        ("", ""),
    ],
)
def test_the_original_name_is_a_clean_basename(given, expected):
    assert clean_filename(given) == expected


def test_a_long_original_name_is_cut_to_100_characters_keeping_the_extension():
    name = clean_filename("x" * 300 + ".jpeg")

    assert len(name) == 100
    assert name.endswith("x.jpeg")
    result = process_image(encode(photo(), "JPEG"), filename="y" * 300 + ".jpg")
    assert len(result.original_name) == 100
