"""CPU and peak memory of cleaning one phone photo (check, decode, turn upright, shrink, re-encode).

The photo is bench/submit.py's: 3000x4000, noisy like a phone's sensor, 3.2 MB at JPEG quality 92. It is made
here, then a fresh process (whose peak memory making it did not raise) cleans it 7 times and prints the median
CPU time and the growth of its peak resident memory over what it held before the first photo.

    .venv/bin/python -m bench.photo
"""
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from werkzeug.datastructures import FileStorage

from bench.submit import noisy_photo
from reporting.uploads import clean_image

RUNS = 7


def main() -> None:
    with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
        file.write(noisy_photo())
        file.flush()
        subprocess.run([sys.executable, "-m", "bench.photo", file.name], check=True)


def measure(path: str) -> None:
    with open(path, "rb") as file:
        photo = file.read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = []
    for _ in range(RUNS):
        start = time.process_time()
        image = clean_image(FileStorage(io.BytesIO(photo), filename="IMG_0001.jpg"))
        cpu.append(time.process_time() - start)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{len(photo) / 1e6:.1f} MB JPEG -> {image.width}x{image.height}, {len(image.data) / 1e3:.0f} KB; "
          f"CPU median {statistics.median(cpu):.3f} s; peak memory +{grown:.0f} MB")


if __name__ == "__main__":
    measure(sys.argv[1]) if len(sys.argv) > 1 else main()
