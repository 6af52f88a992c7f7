"""R-08, R-09 and "invalid-url": the redirect URLs the ui_mode requires or forbids.

Each variant breaks one rule: hosted sessions need `success_url` and take no
`return_url`, embedded ones the reverse (R-08); `redirect_on_completion`
decides whether `return_url` is allowed (R-09); a URL must be well formed.
"""

from __future__ import annotations

from hypothesis import strategies as st

from strategies._api import UiMode
from strategies._invalid._helpers import _BOOLEANS, _base
from strategies._invalid._registry import _accept, _Mutation, _variant
from strategies._support import sampled
from strategies._text import return_urls, success_urls


@_variant("R-08", "conditional")
def _hosted_without_success_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="hosted")
    del params["success_url"]
    return _Mutation(
        params, "hosted session without success_url", _accept("success_url")
    )


@_variant("R-08", "conditional")
def _hosted_with_return_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="hosted")
    params["return_url"] = draw(return_urls())
    return _Mutation(
        params, "hosted session with return_url", _accept("return_url", "ui_mode", None)
    )


@_variant("R-08", "conditional")
def _embedded_with_hosted_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="embedded")
    name = draw(sampled(("success_url", "cancel_url")))
    params[name] = draw(success_urls())
    return _Mutation(
        params, f"embedded session with {name}", _accept(name, "ui_mode", None)
    )


@_variant("R-08", "conditional")
def _embedded_without_return_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="embedded")
    params.pop("return_url", None)
    params.pop("redirect_on_completion", None)
    if draw(_BOOLEANS):
        params["redirect_on_completion"] = "always"
    return _Mutation(
        params,
        "embedded session redirecting on completion without return_url",
        _accept("return_url", None),
    )


@_variant("R-09", "conditional")
def _never_redirect_with_return_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="embedded")
    params["redirect_on_completion"] = "never"
    params.setdefault("return_url", draw(return_urls()))
    return _Mutation(
        params,
        "redirect_on_completion=never with a return_url",
        _accept("return_url", "redirect_on_completion", None),
    )


@_variant("R-09", "conditional")
def _hosted_with_redirect_on_completion(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="hosted")
    params["redirect_on_completion"] = draw(sampled(("always", "if_required", "never")))
    return _Mutation(
        params,
        "redirect_on_completion on a hosted session",
        _accept("redirect_on_completion", "ui_mode", None),
    )


@_variant("invalid-url", "conditional")
def _malformed_url(draw: st.DrawFn) -> _Mutation:
    ui: UiMode = draw(sampled(("hosted", "embedded")))
    params = _base(draw, ui_mode=ui)
    if ui == "embedded":
        params.pop("redirect_on_completion", None)
        name = "return_url"
    else:
        name = draw(sampled(("success_url", "cancel_url")))
    params[name] = draw(
        sampled(("not a url", "example.com/success", "https//example.com/x"))
    )
    return _Mutation(params, f"{name}={params[name]!r} is not a URL", _accept(name))
