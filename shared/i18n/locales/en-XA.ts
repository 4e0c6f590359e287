
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      's03b56e253b2796bd': `⟦Sérvér réáçháblé⟧`,
's173f25775d78c33e': `⟦Sýñç ñów⟧`,
's1a2f1c7bc24c60ac': `⟦Íñ-hóúsé úsé⟧`,
's1c5025d88f0da30c': `⟦Çhéçkíñ⟧`,
's1d05e3f94a5acd2a': `⟦Ápplíéd⟧`,
's2615db80e248342d': `⟦éxpórt á fílé régúlárlý⟧`,
's29efe08a213e4ec8': `⟦Stórágé: thé brówsér máý çléár ít —⟧`,
's37cd9b5ba9f0f42e': `⟦Ápplíéd wíth ñótíçé⟧`,
's3e006a806d3b4691': `⟦Páýméñt⟧`,
's488da4539d2aeb9a': str`⟦dévíçé ${0} s fást⟧`,
's49e763aed00877a8': `⟦Máíñ⟧`,
's4e6f20a222d13219': str`⟦${0} réfúséd⟧`,
's510926cde87256fb': `⟦Thé ádmíñ págés ñééd thé ádmíñ rólé.⟧`,
's52a092fdcbc1dbca': str`⟦dévíçé ${0} míñ slów⟧`,
's58233a20258efc15': str`⟦Úplóád páúséd: rétrýíñg át ${0}⟧`,
's5fc8cba4e5bd4044': `⟦Á ñéw vérsíóñ óf thé ápp ís réádý. Évérýthíñg réçórdéd óñ thís dévíçé ís képt.⟧`,
's78636b92c1a3909c': `⟦Péñdíñg⟧`,
's803ce7e1a2294d50': `⟦Fílés⟧`,
's863aac30180b81e3': `⟦Réñéwál⟧`,
's86db97eef062099f': `⟦Ófflíñé Çírçúlátíóñ⟧`,
's89d186b78cf7a3b2': str`⟦${0} péñdíñg⟧`,
'sa20d4bf533e6f5c9': str`⟦dévíçé ${0} s slów⟧`,
'sa62b788d7a23d411': str`⟦ · ${0} óf ${1}⟧`,
'sa6905be242387f36': `⟦Éxçéptíóñ⟧`,
'saacd8b014e7db01f': `⟦Swítçh stáff⟧`,
'saae1c70e168b45b4': `⟦Ádmíñ⟧`,
'sab3004b88e3158d8': `⟦íñ stép⟧`,
'sb64127e4e4f0b575': `⟦Lóg óút⟧`,
'sc15ad44c7902a717': `⟦Skíppéd⟧`,
'scb04435672ac5410': `⟦Lóg íñ⟧`,
'scde3342a428aaee8': `⟦Ófflíñé⟧`,
'sd078f87343ed28f8': `⟦Désk⟧`,
'sd0c30e9128264e98': `⟦Stórágé: képt bý thé brówsér.⟧`,
'sd6c228646538945c': `⟦Rélóád ñów⟧`,
'se1ef56fd05a573b8': `⟦Régístrátíóñ⟧`,
'se2c0cea49b293755': str`⟦dévíçé ${0} míñ fást⟧`,
'sefcf950b3cc4fc3b': `⟦Láñgúágé⟧`,
'sf416c6faf53c9239': `⟦Çhéçkóút⟧`,
'sf4d2dc7964f12370': str`⟦Úplóádíñg tó “${0}”⟧`,
'sf96e5892f9ec390d': `⟦Stártíñg…⟧`,
'sfb734bfbce71d84f': str`⟦Príñtéd ${0}⟧`,
'sfd6be266b31a00fe': `⟦Vóídéd⟧`,
    };
  