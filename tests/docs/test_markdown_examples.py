"""How the guide's blocks are read: files joined per project, steps in order, unmarked blocks reported."""

from __future__ import annotations

from pathlib import Path

from markdown_examples import Command, PythonStep, read_guide

SAMPLE = """\
# Guide

<!-- file: shop/clients.py -->
```python
A = 1
```

<!-- file: other:shop/clients.py -->
```python
B = 2
```

<!-- file: shop/clients.py -->
```python
C = 3
```

```python
unmarked = True
```

<!-- test -->
```python
assert True
```

<!-- project: other -->
```console
$ curl -s \\
    localhost:8000/
{"ok": true}
$ python manage.py check
System check identified no issues (0 silenced).
```
"""


def test_read_guide(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(SAMPLE)
    guide = read_guide(path)
    clients = guide.files["default"]["shop/clients.py"]
    assert "A = 1" in clients and "C = 3" in clients and "B = 2" not in clients
    assert "B = 2" in guide.files["other"]["shop/clients.py"]
    assert guide.unmarked == [18]
    step, curl, check = guide.steps
    assert isinstance(step, PythonStep) and step.line == 24
    assert step.source.splitlines()[23] == "assert True"  # line numbers in tracebacks are the guide's
    assert curl == Command(29, "other", "curl -s localhost:8000/", ['{"ok": true}'])
    assert isinstance(check, Command) and check.output == ["System check identified no issues (0 silenced)."]
