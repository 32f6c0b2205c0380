"""The floor of the load benchmark: a bare Flask route doing one INSERT and a commit on the same stack
(Flask-SQLAlchemy, psycopg 3, PostgreSQL, gunicorn), so that `bench/load.py` can say what share of it the
full path reaches. Served as `gunicorn bench.floor:app` with REPORTING_DATABASE_URL set.
"""
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

from reporting.config import database_url

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ["REPORTING_DATABASE_URL"])
db = SQLAlchemy(app)


@app.post("/floor")
def floor():
    db.session.execute(text("INSERT INTO floor_hit (body) VALUES (:body)"), {"body": "x" * 500})
    db.session.commit()
    return "ok"
