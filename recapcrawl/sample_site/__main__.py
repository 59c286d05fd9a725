"""``python -m recapcrawl.sample_site``: serve both sample blogs until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading

from . import SampleSites


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve the blogs on ports P and P+1."""
    parser = argparse.ArgumentParser(
        prog="python -m recapcrawl.sample_site", description="Serve the two sample TV-recap blogs."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=8101,
        help="port of the WordPress-like blog; the Blogger-like one gets PORT+1 (default 8101)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    ports = (args.port, args.port + 1) if args.port else (0, 0)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # stop cleanly under `kill` as well as Ctrl-C
    with SampleSites(args.host, ports, quiet=args.quiet) as sites:
        print(f"WordPress-like blog: {sites.wordpress_url}", flush=True)
        print(f"Blogger-like blog:   {sites.blogger_url}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
