"""A small asyncio connection pool for psycopg, for the two async comparison stacks.

(`psycopg_pool` is the library for this; it is not among the project's dependencies, and a queue of connections
opened on demand, up to a limit, is all a benchmark needs.) One pool per worker process, opened on first use.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
import psycopg
from psycopg.types.json import set_json_loads

set_json_loads(orjson.loads)  # jsonb columns arrive as dicts, parsed by orjson

CONNINFO = os.environ.get("BENCH_FHIR_CONNINFO", "")
SIZE = int(os.environ.get("BENCH_FHIR_POOL", "16"))


class Pool:
    def __init__(self, conninfo: str, size: int) -> None:
        self._conninfo = conninfo
        self._size = size
        self._made = 0
        self._idle: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()

    async def _get(self) -> psycopg.AsyncConnection:
        if self._idle.empty() and self._made < self._size:
            self._made += 1
            try:
                return await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            except BaseException:
                self._made -= 1
                raise
        return await self._idle.get()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection]:
        conn = await self._get()
        try:
            yield conn
        finally:
            if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                self._made -= 1
                await conn.close()
            else:
                self._idle.put_nowait(conn)


_pool: Pool | None = None


def pool() -> Pool:
    global _pool  # one pool per worker process, made on first use (after the fork)
    if _pool is None:
        _pool = Pool(CONNINFO, SIZE)
    return _pool
