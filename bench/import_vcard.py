"""Import of the 2,000 contacts of a phone's vCard 2.1 export, timed as the whole CLI command."""
import os
import quopri
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.data import company_name, mobile, person_name

ROOT = Path(__file__).resolve().parent.parent
BAR_SECONDS = 1.5
CONTACTS = 2000


def qp(text: str) -> str:
    return quopri.encodestring(text.encode()).decode().replace("=\n", "=\r\n")


def android_export(path: Path) -> None:
    """What older Android phones write: vCard 2.1, names and organisations quoted-printable."""
    rng = random.Random(7)
    cards = []
    for n in range(CONTACTS):
        name = person_name(rng)
        lines = ["BEGIN:VCARD", "VERSION:2.1",
                 f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(name[0])};{qp(name[1:])};;;",
                 f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(name)}",
                 f"TEL;CELL:{mobile(50_000_000 + n)[3:6]}-{mobile(50_000_000 + n)[6:10]}-"
                 f"{mobile(50_000_000 + n)[10:]}"]
        if n % 3 == 0:
            lines.append(f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(company_name(rng, n % 400))}")
        if n % 4 == 0:
            lines.append(f"EMAIL;HOME:user{n}@example.cn")
        if n % 5 == 0:
            lines.append(f"BDAY:19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    path.write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")


def run(write_result, postgres_url: str | None = None) -> None:
    """On SQLite (the default set-up), or on the PostgreSQL database at `postgres_url`, emptied
    before each attempt."""
    workdir = Path(tempfile.mkdtemp(prefix="crmweb-bench-import-"))
    export = workdir / "contacts.vcf"
    android_export(export)
    flask = str(Path(os.sys.executable).parent / "flask")
    # Timed as installed (docs/deploy.md): the code's bytecode compiled, not compiled anew by every
    # run (as where PYTHONDONTWRITEBYTECODE is set, or the code's folder is not the user's).
    subprocess.run([os.sys.executable, "-m", "compileall", "-q", "crmweb", "wsgi.py"], cwd=ROOT, check=True)
    timings, output = [], ""
    for attempt in range(3):
        url = postgres_url or f"sqlite:///{workdir}/import{attempt}.sqlite3"
        if postgres_url:
            _empty_postgres(postgres_url)
        env = {**os.environ, "FLASK_APP": "wsgi", "CRMWEB_INSTANCE_PATH": str(workdir / f"i{attempt}"),
               "DATABASE_URL": url}
        subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run([flask, "clients", "import", str(export)], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True)
        timings.append(time.perf_counter() - started)
        output = done.stdout.strip()
    worst = max(timings)
    database = "postgresql" if postgres_url else "sqlite"
    write_result(f"import_2000_vcard21_{database}", {
        "contacts": CONTACTS, "database": database, "seconds": [round(t, 3) for t in timings],
        "median_seconds": round(statistics.median(timings), 3), "worst_seconds": round(worst, 3),
        "bar_seconds": BAR_SECONDS, "bar_met": worst < BAR_SECONDS, "cli_output": output,
        "summary": f"{CONTACTS} contacts on {database} in {statistics.median(timings):.2f} s "
                   f"(worst {worst:.2f} s)"})


def _empty_postgres(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
