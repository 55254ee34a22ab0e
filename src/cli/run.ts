/**
 * Process entry of the `xzt` command (bin/xzt.js loads this, compiled or through tsx).
 * @module
 */
import { main } from './xzt.js'

const code = await main(process.argv.slice(2))
// `serve` keeps the event loop alive; every other command ends here.
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code
