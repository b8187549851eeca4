// check.js reads citations hrsearch wrote, with the parsers reference
// managers use: citation-js reads RIS, BibTeX and CSL-JSON, and formats
// each with citeproc-js (CSL's reference processor) in the APA style.
//
// Input on stdin: {"ris": "...", "bibtex": "...", "csl-json": "..."}.
// Output on stdout: for each format, the CSL-JSON items citation-js read
// and the bibliography citeproc formatted from them.
'use strict'
const { Cite } = require('@citation-js/core')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-csl')

const forced = { ris: '@ris/file', bibtex: '@biblatex/text', 'csl-json': '@csl/list+object' }

let input = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (c) => { input += c })
process.stdin.on('end', () => {
  const given = JSON.parse(input)
  const out = {}
  for (const [format, text] of Object.entries(given)) {
    try {
      const data = format === 'csl-json' ? JSON.parse(text) : text
      const cite = new Cite(data, { forceType: forced[format] })
      out[format] = {
        items: cite.data,
        bibliography: cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' })
      }
    } catch (e) {
      out[format] = { error: String(e && e.stack || e) }
    }
  }
  process.stdout.write(JSON.stringify(out))
})
