
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'sab3004b88e3158d8': `in step`,
's52a092fdcbc1dbca': str`device ${0} min slow`,
'se2c0cea49b293755': str`device ${0} min fast`,
'sa20d4bf533e6f5c9': str`device ${0} s slow`,
's488da4539d2aeb9a': str`device ${0} s fast`,
'sf416c6faf53c9239': `Checkout`,
's863aac30180b81e3': `Renewal`,
's1c5025d88f0da30c': `Checkin`,
's1a2f1c7bc24c60ac': `In-house use`,
'se1ef56fd05a573b8': `Registration`,
's3e006a806d3b4691': `Payment`,
's78636b92c1a3909c': `Pending`,
's1d05e3f94a5acd2a': `Applied`,
's37cd9b5ba9f0f42e': `Applied with notice`,
'sa6905be242387f36': `Exception`,
'sc15ad44c7902a717': `Skipped`,
'sfd6be266b31a00fe': `Voided`,
'sefcf950b3cc4fc3b': `Language`,
'sf96e5892f9ec390d': `Starting…`,
's510926cde87256fb': `The admin pages need the admin role.`,
's5fc8cba4e5bd4044': `A new version of the app is ready. Everything recorded on this device is kept.`,
'sd6c228646538945c': `Reload now`,
's86db97eef062099f': `Offline Circulation`,
's03b56e253b2796bd': `Server reachable`,
'scde3342a428aaee8': `Offline`,
's89d186b78cf7a3b2': str`${0} pending`,
's4e6f20a222d13219': str`${0} refused`,
'sf4d2dc7964f12370': str`Uploading to “${0}”`,
'sa62b788d7a23d411': str` · ${0} of ${1}`,
's58233a20258efc15': str`Upload paused: retrying at ${0}`,
's49e763aed00877a8': `Main`,
'sd078f87343ed28f8': `Desk`,
's803ce7e1a2294d50': `Files`,
'saae1c70e168b45b4': `Admin`,
's173f25775d78c33e': `Sync now`,
'sb64127e4e4f0b575': `Log out`,
'saacd8b014e7db01f': `Switch staff`,
'scb04435672ac5410': `Log in`,
'sd0c30e9128264e98': `Storage: kept by the browser.`,
's29efe08a213e4ec8': `Storage: the browser may clear it —`,
's2615db80e248342d': `export a file regularly`,
'sfb734bfbce71d84f': str`Printed ${0}`,
    };
  