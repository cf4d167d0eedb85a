import { describe, expect, it } from 'vitest';
import { JinjaError, renderJinja } from '../../../src/simulator/engine/jinja/render.js';

describe('jinja2 subset', () => {
  it('prints variables, attributes and indexes with Python str() rules', () => {
    const vars = { name: 'Ada', user: { age: 36, tags: ['x', 'y'] }, none: null, yes: true, n: 2.5 };
    expect(renderJinja('Hi {{ name }}, {{ user.age }} {{ user["tags"][1] }}', vars)).toBe('Hi Ada, 36 y');
    expect(renderJinja('{{ user.tags }} {{ none }} {{ yes }} {{ n }} [{{ missing }}]', vars)).toBe("['x', 'y'] None True 2.5 []");
    expect(renderJinja('{{ user }}', vars)).toBe("{'age': 36, 'tags': ['x', 'y']}");
  });

  it('supports common filters', () => {
    const vars = { items: ['b', 'a'], s: '  Hi <b> ', obj: { z: 1, a: 'é' } };
    expect(renderJinja('{{ items | join(", ") }}|{{ items | length }}|{{ items | sort | first }}', vars)).toBe('b, a|2|a');
    expect(renderJinja('{{ s | trim | upper }}|{{ s | trim | lower }}', vars)).toBe('HI <B>|hi <b>');
    expect(renderJinja('{{ obj | tojson }}', vars)).toBe('{"a": "\\u00e9", "z": 1}');
    expect(renderJinja('{{ "<&>" | tojson }}', vars)).toBe('"\\u003c\\u0026\\u003e"');
    expect(renderJinja('{{ missing | default("fallback") }}|{{ "" | default("x", true) }}', vars)).toBe('fallback|x');
    expect(renderJinja('{{ 3.7 | int }}|{{ "2" | float + 1 }}|{{ -4 | abs }}|{{ 2.345 | round(2) }}', vars)).toBe('3|3|4|2.35');
  });

  it('renders if / elif / else with comparisons and boolean logic', () => {
    const t = '{% if n > 10 %}big{% elif n == 5 and not flag %}five{% else %}other{% endif %}';
    expect(renderJinja(t, { n: 11 })).toBe('big');
    expect(renderJinja(t, { n: 5, flag: false })).toBe('five');
    expect(renderJinja(t, { n: 5, flag: true })).toBe('other');
    expect(renderJinja('{% if "a" in xs %}yes{% endif %}{% if x is none %}!{% endif %}', { xs: ['a'], x: null })).toBe('yes!');
    expect(renderJinja('{{ "on" if flag else "off" }}', { flag: 1 })).toBe('on');
  });

  it('loops over arrays and dict items with loop variables and else', () => {
    expect(renderJinja('{% for x in xs %}{{ loop.index }}:{{ x }}{% if not loop.last %},{% endif %}{% endfor %}', { xs: ['a', 'b'] })).toBe('1:a,2:b');
    expect(renderJinja('{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', { d: { a: 1, b: 2 } })).toBe('a=1;b=2;');
    expect(renderJinja('{% for x in xs %}{{ x }}{% else %}empty{% endfor %}', { xs: [] })).toBe('empty');
  });

  it('honours set, comments and whitespace control', () => {
    expect(renderJinja('{% set greeting = "hi " ~ name %}{# note #}{{ greeting }}', { name: 'bo' })).toBe('hi bo');
    expect(renderJinja('a\n  {%- if true -%}\n  b\n{%- endif %}\nc', {})).toBe('ab\nc');
  });

  it('raises JinjaError on unsupported or broken syntax', () => {
    expect(() => renderJinja('{% macro m() %}{% endmacro %}', {})).toThrow(JinjaError);
    expect(() => renderJinja('{% if x %}never closed', {})).toThrow("missing '{% endif %}'");
    expect(() => renderJinja('{{ x | frobnicate }}', { x: 1 })).toThrow("unsupported filter 'frobnicate'");
    expect(() => renderJinja('{{ x + }}', { x: 1 })).toThrow(JinjaError);
    expect(() => renderJinja('{{ "open }}', {})).toThrow(JinjaError);
  });
});
