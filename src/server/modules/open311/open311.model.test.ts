/**
 * The pure rules of Open311: dates and their window, the status filter, comma lists, the mapping of an
 * appeal to a service request, and the XML writer (read back by the strict test reader).
 */
import { describe, expect, it } from 'vitest'
import { childText, childrenNamed, parseXml } from '../../../../test/support/xml.js'
import type { AppealSummary } from '../../../shared/api.js'
import { APPEAL_CATEGORY_CODES } from '../../../shared/domain.js'
import { escapeXml, render, renderErrors } from './open311.format.js'
import {
  csv,
  dateWindow,
  isoBeijing,
  kindOf,
  listServices,
  parseIsoDate,
  present,
  requestOf,
  statusesFor,
} from './open311.model.js'

const DAY = 86_400_000

describe('Open311 dates', () => {
  it('writes Beijing time with its offset, to the second', () => {
    expect(isoBeijing(Date.parse('2026-12-04T01:30:05.250Z'))).toBe('2026-12-04T09:30:05+08:00')
    expect(isoBeijing(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00')
  })

  it('reads ISO 8601 with any zone, Beijing time without one, and bare dates as whole days', () => {
    const t = Date.parse('2026-12-04T01:30:00Z')
    expect(parseIsoDate('start_date', '2026-12-04T09:30:00+08:00')).toBe(t)
    expect(parseIsoDate('start_date', '2026-12-04T01:30:00Z')).toBe(t)
    expect(parseIsoDate('start_date', '2026-12-03T20:30:00-05:00')).toBe(t)
    expect(parseIsoDate('start_date', '2026-12-04T09:30:00+0800')).toBe(t)
    expect(parseIsoDate('start_date', '2026-12-04T09:30')).toBe(t)
    expect(parseIsoDate('start_date', '2026-12-04T09:30:00.5+08:00')).toBe(t + 500)
    expect(parseIsoDate('start_date', '2026-12-04')).toBe(Date.parse('2026-12-04T00:00:00+08:00'))
    expect(parseIsoDate('end_date', '2026-12-04', true)).toBe(Date.parse('2026-12-05T00:00:00+08:00') - 1)
    expect(parseIsoDate('end_date', '2026-12-04T09:30', true)).toBe(t + 59_999)
    expect(parseIsoDate('end_date', '2026-12-04T09:30:00+08:00', true)).toBe(t + 999)
    expect(parseIsoDate('end_date', '2026-12-04T09:30:00.250+08:00', true)).toBe(t + 250)
    for (const bad of [
      'yesterday',
      '2026-13-01',
      '2026-02-30',
      '2026-12-04T25:00',
      '12/04/2026',
      '2026-12-04T09:30+15:00',
    ])
      expect(() => parseIsoDate('start_date', bad), bad).toThrow(/start_date/)
  })

  it('keeps the window within 90 days: both ends, one end, or the last 90 days', () => {
    const now = Date.parse('2026-12-04T12:00:00+08:00')
    expect(dateWindow(undefined, undefined, now)).toEqual({ from: now - 90 * DAY, to: now })
    const start = '2026-10-01T00:00:00+08:00'
    const s = Date.parse(start)
    expect(dateWindow(start, undefined, now)).toEqual({ from: s, to: s + 90 * DAY })
    // An end includes the second it names.
    expect(dateWindow(undefined, start, now)).toEqual({ from: s + 999 - 90 * DAY, to: s + 999 })
    expect(dateWindow(start, '2026-12-29T23:59:59.000+08:00', now)).toEqual({
      from: s,
      to: Date.parse('2026-12-29T23:59:59+08:00'),
    })
    expect(() => dateWindow(start, '2026-12-30T00:00:00+08:00', now)).toThrow(/more than 90 days/)
    expect(() => dateWindow('2026-12-04', '2026-12-01', now)).toThrow(/before start_date/)
  })
})

describe('Open311 arguments', () => {
  it('reads comma lists and counts empty arguments as absent', () => {
    expect(csv(' a, b,,a ')).toEqual(['a', 'b'])
    expect(csv('')).toBeUndefined()
    expect(csv(undefined)).toBeUndefined()
    expect(present('  ')).toBeUndefined()
    expect(present(' x ')).toBe('x')
  })

  it('maps status=open,closed onto appeal statuses', () => {
    expect(statusesFor('open')).toEqual(['dispatched', 'accepted', 'responded', 'resolved'])
    expect(statusesFor('closed')).toEqual(['closed', 'merged'])
    expect(statusesFor('open,closed')).toBeUndefined()
    expect(statusesFor('')).toBeUndefined()
    expect(() => statusesFor('open,fixed')).toThrow(/status/)
  })

  it('takes the kinds a citizen may file as attribute[kind], never a discrepancy', () => {
    expect(kindOf('praise')).toBe('praise')
    expect(kindOf(undefined)).toBeUndefined()
    expect(() => kindOf('discrepancy')).toThrow(/attribute\[kind\]/)
  })

  it('offers one service per category, named in Chinese and grouped by the top level', () => {
    const services = listServices()
    expect(services.map((s) => s.service_code)).toEqual([...APPEAL_CATEGORY_CODES])
    expect(services.find((s) => s.service_code === 'urban/road')).toMatchObject({
      service_name: '道路破损',
      group: '城市管理',
      metadata: true,
      type: 'realtime',
    })
  })
})

describe('an appeal as a service request', () => {
  const appeal = {
    id: 'a-1',
    category: 'urban/road',
    text: '路面塌陷',
    status: 'accepted',
    department: { id: 'd', name: '鸣河区住房和城乡建设局' },
    location: { lat: 28.3, lng: 112.7 },
    regionCode: '430101001',
    regionName: '古源街道',
    createdAt: Date.parse('2026-12-01T08:00:00+08:00'),
    respondedAt: null,
    resolvedAt: null,
    closedAt: null,
    dueAt: Date.parse('2026-12-15T17:30:00+08:00'),
    response: null,
    resolution: null,
    mergedInto: null,
  } as unknown as AppealSummary

  it('is open until closed or merged, and says when it is due and who has it', () => {
    expect(requestOf(appeal)).toMatchObject({
      service_request_id: 'a-1',
      status: 'open',
      status_notes: null,
      service_name: '道路破损',
      service_code: 'urban/road',
      agency_responsible: '鸣河区住房和城乡建设局',
      requested_datetime: '2026-12-01T08:00:00+08:00',
      updated_datetime: '2026-12-01T08:00:00+08:00',
      expected_datetime: '2026-12-15T17:30:00+08:00',
      address: '古源街道',
      address_id: '430101001',
      lat: 28.3,
      long: 112.7,
    })
    const closed = { ...appeal, status: 'closed', resolution: '已修复', closedAt: appeal.createdAt + DAY }
    expect(requestOf(closed as AppealSummary)).toMatchObject({
      status: 'closed',
      status_notes: '已修复',
      updated_datetime: '2026-12-02T08:00:00+08:00',
    })
    const merged = { ...appeal, status: 'merged', mergedInto: 'a-0', closedAt: appeal.createdAt }
    expect(requestOf(merged as AppealSummary).status).toBe('closed')
    expect(requestOf(merged as AppealSummary).status_notes).toContain('a-0')
  })
})

describe('the XML writer', () => {
  it('escapes the five characters and replaces what XML 1.0 cannot hold', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    )
    expect(escapeXml('a\u0001b\tc\n')).toBe('a\ufffdb\tc\n')
  })

  it('writes lists in their plural element, nulls empty, and reads back as written', () => {
    const hostile = `]]></description><x>&amp;'"\u0007`
    const doc = render('xml', 'service_requests', [
      { service_request_id: '1', description: hostile, lat: 28.5, zipcode: null, metadata: false },
      { service_request_id: '2', description: '二', lat: null, zipcode: null, metadata: true },
    ])
    expect(doc.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request>')).toBe(true)
    const root = parseXml(doc)
    expect(root.name).toBe('service_requests')
    const [one, two] = childrenNamed(root, 'request')
    expect(childText(one!, 'description')).toBe(hostile.replace('\u0007', '\ufffd'))
    expect(childText(one!, 'lat')).toBe('28.5')
    expect(childText(one!, 'zipcode')).toBe('')
    expect(childText(one!, 'metadata')).toBe('false')
    expect(childText(two!, 'description')).toBe('二')
  })

  it('nests attribute values, and writes errors as the spec does', () => {
    const def = parseXml(
      render('xml', 'service_definition', {
        service_code: 'urban/road',
        attributes: [{ code: 'kind', values: [{ key: 'praise', name: '表扬' }] }],
      }),
    )
    const attribute = childrenNamed(childrenNamed(def, 'attributes')[0]!, 'attribute')[0]!
    const value = childrenNamed(childrenNamed(attribute, 'values')[0]!, 'value')[0]!
    expect(childText(value, 'name')).toBe('表扬')
    const errors = parseXml(renderErrors('xml', [{ code: 403, description: 'api_key & more' }]))
    expect(errors.name).toBe('errors')
    expect(childText(childrenNamed(errors, 'error')[0]!, 'code')).toBe('403')
    expect(childText(childrenNamed(errors, 'error')[0]!, 'description')).toBe('api_key & more')
    expect(JSON.parse(renderErrors('json', [{ code: 403, description: 'x' }]))).toEqual([
      { code: 403, description: 'x' },
    ])
    expect(() => render('xml', 'service_requests', [{ 'not a name': 1 }])).toThrow()
  })

  it('the test reader refuses what is not well-formed', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a>x & y</a>',
      '<a>1</a><b/>',
      '<a>',
      'text',
      '<a>&bogus;</a>',
      '<a x="1"/>',
    ])
      expect(() => parseXml(bad), bad).toThrow()
  })
})
