import json
import logging

import pytest

from worker.base import worker_task
from worker.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def record(message: str, **extra) -> logging.LogRecord:
    entry = logging.LogRecord("worker.test", logging.INFO, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(entry, key, value)
    return entry


@worker_task(name="tests.worker.logging.log_line")
def log_line(*, order_id: int) -> str:
    return JsonFormatter().format(record("paid", order_id=order_id))


def test_a_log_line_is_one_json_object_with_the_object_ids():
    line = json.loads(JsonFormatter().format(record("Đơn hàng đã thanh toán", order_id=12)))
    assert line["message"] == "Đơn hàng đã thanh toán"
    assert line["order_id"] == 12
    assert line["level"] == "INFO"
    assert line["logger"] == "worker.test"
    assert "task_id" not in line


def test_inside_a_task_the_line_carries_the_task_id_and_name():
    line = json.loads(log_line.apply(kwargs={"order_id": 12}, task_id="task-42").get())
    assert line["task_id"] == "task-42"
    assert line["task_name"] == "tests.worker.logging.log_line"
    assert line["order_id"] == 12


def test_an_exception_is_kept_in_the_line():
    try:
        raise ValueError("bad amount")
    except ValueError:
        import sys

        entry = record("failed")
        entry.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(entry))
    assert "ValueError: bad amount" in line["exception"]
