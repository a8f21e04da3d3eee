"""The email templates, plain text and HTML (Jinja2; the HTML one autoescapes every value)."""
# ruff: noqa: E501  (mail clients want inline styles, and template lines are markup, not code)

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

_ARTICLE_TEXT = """\
{{ a.title }}
{% for line in a.sources %}
  {{ line }}
{% endfor %}
  In the monitor: {{ a.link }}
{% for c in a.campaigns %}
  Campaign: {{ c.label }}  {{ c.link }}
{% endfor %}
{% if a.figures %}
  Figures:
{% for f in a.figures %}
  - {{ f.measure }}: {{ f.value }}{% if f.campaign %} ({{ f.campaign }}){% endif %}{% if f.region %}, {{ f.region }}{% endif %}

      “{{ f.quote }}”
{% endfor %}
{% endif %}
"""

_ARTICLE_HTML = """\
<h3 style="margin:16px 0 4px;font-size:16px"><a href="{{ a.link }}">{{ a.title }}</a></h3>
<ul style="margin:0 0 8px;padding-left:18px;color:#555">
{% for s in a.source_items %}<li>{{ s.source }}{% if s.date %}, {{ s.date }}{% endif %}{% if s.url %} · <a href="{{ s.url }}">original</a>{% endif %}</li>
{% endfor %}</ul>
{% if a.campaigns %}<p style="margin:4px 0">Campaigns: {% for c in a.campaigns %}<a href="{{ c.link }}">{{ c.label }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
{% if a.figures %}<table style="border-collapse:collapse;margin:8px 0;font-size:14px">
<tr><th align="left" style="padding:4px 8px;border-bottom:1px solid #ccc">Measure</th><th align="right" style="padding:4px 8px;border-bottom:1px solid #ccc">Value</th><th align="left" style="padding:4px 8px;border-bottom:1px solid #ccc">Campaign</th><th align="left" style="padding:4px 8px;border-bottom:1px solid #ccc">Region</th><th align="left" style="padding:4px 8px;border-bottom:1px solid #ccc">Quote</th></tr>
{% for f in a.figures %}<tr><td style="padding:4px 8px">{{ f.measure }}</td><td align="right" style="padding:4px 8px">{{ f.value }}</td><td style="padding:4px 8px">{{ f.campaign or '' }}</td><td style="padding:4px 8px">{{ f.region or '' }}</td><td style="padding:4px 8px;color:#555">“{{ f.quote }}”</td></tr>
{% endfor %}</table>{% endif %}"""

TEMPLATES = {
    "article.txt": _ARTICLE_TEXT,
    "article.html": _ARTICLE_HTML,
    "email.txt": """\
{{ heading }}
{{ '=' * (heading | length) }}
{% for section in sections %}

{% if sections | length > 1 or digest %}
{{ section.title }}
{{ '-' * (section.title | length) }}
{% endif %}
{% for group in section.groups %}
{% if group.name %}

[{{ group.name }}]
{% endif %}
{% for item in group.alerts %}

{% if item.reason %}
Why: {{ item.reason }}
{% endif %}
{% for a in item.articles %}
{% include "article.txt" %}
{% endfor %}
{% endfor %}
{% endfor %}
{% endfor %}

--
Sent by the announcement monitor ({{ base_url }}) because of the rule{{ 's' if rules | length > 1 else '' }} {{ rules | join(', ') }}.
{% if saved_link %}Change or stop it: {{ saved_link }}
{% endif %}
""",
    "email.html": """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ heading }}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;max-width:760px">
<h2 style="font-size:20px">{{ heading }}</h2>
{% for section in sections %}
{% if sections | length > 1 or digest %}<h2 style="font-size:18px;border-bottom:2px solid #eee">{{ section.title }}</h2>{% endif %}
{% for group in section.groups %}
{% if group.name %}<h3 style="font-size:16px;color:#444">{% if group.link %}<a href="{{ group.link }}">{{ group.name }}</a>{% else %}{{ group.name }}{% endif %}</h3>{% endif %}
{% for item in group.alerts %}
{% if item.reason %}<p style="margin:8px 0 0;color:#777;font-size:13px">Why: {{ item.reason }}</p>{% endif %}
{% for a in item.articles %}{% include "article.html" %}{% endfor %}
{% endfor %}{% endfor %}{% endfor %}
<hr style="border:0;border-top:1px solid #eee">
<p style="color:#777;font-size:12px">Sent by the <a href="{{ base_url }}">announcement monitor</a> because of the rule{{ 's' if rules | length > 1 else '' }} {{ rules | join(', ') }}.{% if saved_link %} <a href="{{ saved_link }}">Change or stop it</a>.{% endif %}</p>
</body></html>
""",
}

ENVIRONMENT = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
