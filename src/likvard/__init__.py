"""Likvärd: the Django project.

One BLAS thread per process, set before anything loads NumPy: the web server, the worker and
the test runner are several processes on few cores, and OpenBLAS's own threads then fight
them. Measured on the 2-core development machine at load 9: the disclosure gate's pivoted QR
took 0.56-1.58 s with OpenBLAS's threads and 0.20-0.27 s with one; at load 12 the worst call
took 7.2 s against 0.06 s. An operator who wants more sets the variable themselves.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
