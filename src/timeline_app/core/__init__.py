"""The Qt-free core: model, loading, dates, filtering, search and layout. Never imports Qt."""
