"""The embedder (one per process and model) and index caches built from settings."""

import matching
from app.config import Settings, get_settings
from app.matches.cache import IndexCache


def model_name(settings: Settings | None = None) -> str:
    name = (settings or get_settings()).embedding_model
    return matching.DEFAULT_MODEL if name == "default" else name


def embedder(settings: Settings | None = None) -> matching.Embedder:
    return matching.get_embedder(model_name(settings))


def new_index_cache(settings: Settings) -> IndexCache:
    """One per app (so per worker): it lives on `app.state.index_cache`."""
    return IndexCache(
        embedder(settings),
        settings.data_dir / "index",
        settings.index_poll_seconds,
        settings.index_save_seconds,
    )
