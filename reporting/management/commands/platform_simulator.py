"""Run the municipal platform simulator (``reporting.simulator``) for the demo or by hand: over HTTP on the loopback
interface, or once over the drop folder (a feedback file beside each batch file that has none)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.simulator import PlatformSimulator, parse_refusals


class Command(BaseCommand):
    help = "市平台模拟器：接收报送批次并逐行返回入库/问题数据结果（仅监听本机回环地址，或处理投递目录）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--refuse",
            action="append",
            default=[],
            metavar="TEXT=REASON 或 BATCH:ROW=REASON",
            help="拒收含 TEXT 的行，或指定批次的第 ROW 行，原因为 REASON（可多次指定）",
        )
        parser.add_argument(
            "--folder", nargs="?", const="", default=None, help="处理投递目录（默认 REPORTING_DROP_DIR）后退出"
        )
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，只能是回环地址")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--token", default="", help="要求的接口令牌（Bearer）")

    def handle(self, *args, refuse, folder, host, port, token, **options):
        by_text, by_row = parse_refusals(refuse)
        simulator = PlatformSimulator(refuse_text=by_text, refuse_rows=by_row, token=token)
        if folder is not None:
            written = simulator.answer_folder(folder or settings.REPORTING_DROP_DIR)
            self.stdout.write(f"已为 {written} 个批次文件写入平台反馈文件。")
            return
        try:
            server = simulator.serve(host, port)
        except (ValueError, OSError) as exc:
            raise CommandError(f"无法在 {host}:{port} 监听：{exc}") from exc
        self.stdout.write(f"市平台模拟器监听 http://{host}:{server.server_address[1]}/ （Ctrl+C 退出）")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
