"""The reference service: what Corral replaces, written as a FastAPI user would.

Run exactly as ../../shared/REFERENCE-DEPLOYMENT.md runs it:
    gunicorn main:app -k uvicorn.workers.UvicornWorker -b 127.0.0.1:PORT -w N
with Debian's gunicorn, python3-uvicorn, python3-fastapi, python3-uvloop and python3-httptools.

Routes mirror Corral's example app (io.corral.examples.HelloApp) and the minimal chat surface bench/ measures.
"""
import json
import os
import sqlite3
from typing import Dict, List, Set

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

DB = os.environ.get("REFERENCE_DB", "/tmp/corral-reference-chat.db")

app = FastAPI()


def connect() -> sqlite3.Connection:
    db = sqlite3.connect(DB, timeout=5, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=5000")
    return db


@app.on_event("startup")
def init_db() -> None:
    with connect() as db:
        db.execute("CREATE TABLE IF NOT EXISTS messages (room TEXT NOT NULL, seq INTEGER NOT NULL, "
                   "text TEXT NOT NULL, PRIMARY KEY (room, seq))")


@app.get("/health")
async def health():
    return {"status": "healthy"}


@app.get("/json")
async def json_route():
    return {"message": "Hello, World!", "number": 42, "tags": ["corral", "java"], "at": "2025-11-24T16:00:00Z"}


class NewMessage(BaseModel):
    text: str


def store_message(room: str, text: str) -> int:
    db = connect()
    try:
        db.execute("BEGIN IMMEDIATE")
        seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE room = ?", (room,)).fetchone()[0]
        db.execute("INSERT INTO messages (room, seq, text) VALUES (?, ?, ?)", (room, seq, text))
        db.execute("COMMIT")
    finally:
        db.close()
    return seq


@app.post("/rooms/{room}/messages", status_code=201)
async def post_message(room: str, message: NewMessage):
    # Blocking sqlite3 in FastAPI's threadpool, as its docs advise; then the broadcast of its WebSocket docs'
    # ConnectionManager, to the room's sockets in this worker (all FastAPI has without an external broker).
    seq = await run_in_threadpool(store_message, room, message.text)
    event = json.dumps({"room": room, "seq": seq, "text": message.text})
    for member in list(rooms.get(room, ())):
        await member.send_text(event)
    return {"room": room, "seq": seq, "text": message.text}


@app.get("/rooms/{room}/messages")
def history(room: str, after: int = 0, limit: int = 50):
    db = connect()
    try:
        rows = db.execute("SELECT seq, text FROM messages WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?",
                          (room, after, min(limit, 200))).fetchall()
    finally:
        db.close()
    return [{"seq": seq, "text": text} for seq, text in rows]


# WebSocket broadcast within this worker: all FastAPI offers without an external broker.
rooms: Dict[str, Set[WebSocket]] = {}


@app.websocket("/ws/{room}")
async def ws(websocket: WebSocket, room: str):
    await websocket.accept()
    members = rooms.setdefault(room, set())
    members.add(websocket)
    try:
        while True:
            text = await websocket.receive_text()
            for member in list(members):
                await member.send_text(text)
    except WebSocketDisconnect:
        pass
    finally:
        members.discard(websocket)
