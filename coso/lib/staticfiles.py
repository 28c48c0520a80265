"""Static files under names that carry their content's hash, served with a year's cache.

`coso collectstatic` (run by `make run`, `make serve` and `make demo`) copies every file into
STATIC_ROOT under a hashed name (app.3f2a9c81d0e4.css), compresses it (.gz) and writes the
manifest; `{% static %}` then links the hashed name and WhiteNoise serves it with
`Cache-Control: max-age=315360000, public, immutable`: a browser asks for each file once, not
again on every page once the 60 seconds of an unhashed file's cache have passed. A new version of
a file gets a new name, so the year's cache never serves a stale file.

Without a collected manifest (the test suite, a bare `coso runserver` before the first
collectstatic) `{% static %}` falls back to the plain name, which WhiteNoise serves from the
apps' static folders (WHITENOISE_USE_FINDERS) with its short cache, as before.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url_converter(self, name, hashed_files, template=None):
        """A reference to a file that is not shipped is left as it is: the vendored minified
        files name source maps, and bootstrap-icons a .woff fallback beside its .woff2, that are
        not in coso/static/vendor (a browser that reads woff2 never asks for the fallback)."""
        convert = super().url_converter(name, hashed_files, template)

        def converter(match):
            try:
                return convert(match)
            except ValueError:
                return match["matched"]

        return converter

    def create_compressor(self, **kwargs):
        # gzip only: brotli at its best level costs ten seconds of collectstatic for the 180
        # files, on every `make run`, for a few kilobytes less over a local network
        return super().create_compressor(**{**kwargs, "use_brotli": False})

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:  # not collected: the plain name, served from the app's folder
            return name
