/**
 * The default sensitive lexicon: what micro-moments never infers, as data, by category and
 * language. shared/config/defaults.ts uses it as `sensitive`; a deployer adds categories (or
 * replaces one) in the configuration file. shared/privacy/sensitive.ts compiles it.
 *
 * Term syntax (lower case; accents, case, look-alike letters and separators are normalised away
 * on both sides, so write words as a dictionary does):
 * - `word`: the whole word, with an optional plural `s`/`es`; a word of 9 letters or more also
 *   matches one edit away with its first letter right (`pregnacy`), unless an exception says the
 *   neighbour is benign;
 * - `stem*`: any word starting with the stem (at least 4 letters): `diabet*` is diabetes,
 *   diabetic, Diabetiker, diabético;
 * - `*part*`: inside any word (at least 5 letters), for compounds: `*schwanger*` is
 *   Schwangerschaftstest;
 * - several words: a phrase, each word as above (`test* de grossesse`).
 * `exceptions` (same syntax) name benign look-alikes: a hit inside an exception of its own
 * category does not count (`kosher salt`, `preservative` next to the Romance word for condom).
 *
 * Why a term is here, or is only here as a phrase, is in docs/PRIVACY.md ("The classifier").
 * Bare words with a common benign sense stay out: `bible` ("the baking bible"), `enceinte`
 * (French for a loudspeaker), `temple`, `race`, `vote`, `candidate`, `baby`, `diapers`.
 */
import type { SensitiveCategory } from './types';

export const LEXICON_LANGUAGES = ['any', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl'] as const;
export type LexiconLanguage = (typeof LEXICON_LANGUAGES)[number];

export interface LexiconCategory {
  /** Terms per language (`any`: brand names, drugs and acronyms used in every language). */
  terms: Partial<Record<LexiconLanguage, string[]>>;
  contentCategories: string[];
  lifeEventTypes: string[];
  exceptions?: string[];
}

export const SENSITIVE_LEXICON: Record<string, LexiconCategory> = {
  health: {
    terms: {
      any: [
        'hiv', 'ivf', 'viagra', 'cialis', 'levitra', 'sildenafil', 'tadalafil', 'metformin*', 'ozempic', 'truvada',
        'chlamydia', 'syphilis', 'herpes', 'hepatitis', 'leukemia', 'leukaemia', 'lymphom*', 'melanom*', 'alzheimer*',
        'parkinsons', 'parkinson disease', 'insulin*', 'diabet*', 'oncolog*', 'onkolog*', 'chemo', 'prenatal*', 'pränatal*',
        'antenatal*', 'postnatal*', 'postpartum', 'menopau*', 'perimenopau*', 'ovula*', 'contracepti*', 'chemotherap*',
        'dialys*', 'dialis*', 'incontinen*', 'inkontinen*', 'hemorrhoid*', 'haemorrhoid*', 'colostom*', 'mastectom*',
      ],
      en: [
        'pregnan*', 'pregnancy', 'pregnancies', 'pregnant', 'pregnancy test', 'maternity', 'fertility', 'ovulation',
        'contraception', 'contraceptive', 'birth control', 'abortion', 'miscarriage', 'in vitro fertilisation',
        'in vitro fertilization', 'morning after pill', 'emergency contraception', 'morning sickness', 'menopause',
        'erectile', 'erectile dysfunction', 'impotence', 'diabetes', 'diabetic', 'insulin', 'blood glucose',
        'glucose meter', 'glucose monitor', 'glucometer', 'cancer', 'oncology', 'oncologist', 'chemotherapy',
        'radiotherapy', 'tumour', 'tumor', 'sexually transmitted', 'std test', 'std testing', 'sti test', 'std symptoms',
        'gonorrhea', 'gonorrhoea', 'genital warts', 'yeast infection', 'urinary tract infection', 'dementia',
        'epilepsy', 'multiple sclerosis', 'incontinence', 'adult diapers', 'dialysis', 'hearing aid',
        'illness', 'disability', 'symptoms', 'medication', 'prescription drugs',
        'prescription medication', 'repeat prescription', 'antibiotics', 'opioid*', 'methadone', 'naloxone',
        'rehab', 'asthma inhaler', 'blood pressure monitor', 'tonometer', 'sphygmomanometer', 'mobility scooter', 'psoriasis', 'condom', 'personal lubricant',
        'heart disease', 'lyme disease', 'kidney disease', 'coeliac disease', 'celiac disease', 'crohn*', 'autoimmune disease',
      ],
      es: [
        'embarazo', 'embarazos', 'embarazada', 'embarazadas', 'prueba de embarazo', 'test de embarazo', 'anticoncep*',
        'control de natalidad', 'pildora del dia despues', 'aborto', 'fertilidad', 'ovulacion', 'menopausia',
        'disfuncion erectil', 'diabetes', 'insulina', 'cancer', 'quimioterap*', 'tumor', 'leucemia', 'vih', 'sida',
        'enfermedad de transmision sexual', 'preservativo', 'condon', 'condones', 'demencia', 'esclerosis multiple',
        'incontinencia', 'discapacidad', 'medicamento*', 'receta medica', 'tensiometro',
      ],
      fr: [
        'grossesse', 'grossesses', 'test de grossesse', 'femme enceinte', 'femmes enceintes', 'suis enceinte',
        'etre enceinte', 'tomber enceinte', 'pilule contraceptive', 'pilule du lendemain', 'avortement', 'fausse couche',
        'fertilite', 'dysfonction erectile', 'troubles de l erection', 'diabete', 'insuline', 'chimiotherap*', 'tumeur',
        'leucemie', 'sida', 'infection sexuellement transmissible', 'preservatif', 'demence', 'sclerose en plaques',
        'medicament*', 'ordonnance medicale', 'tensiometre',
      ],
      de: [
        '*schwanger*', 'verhütung', 'verhütungsmittel*', 'verhütungspille', 'verhütungsring', 'antibabypille', 'pille danach', '*abtreibung*', 'fehlgeburt', 'fruchtbarkeit',
        '*eisprung*', 'wechseljahre', '*erektionsstörung*', 'potenzmittel', 'krebs', 'brustkrebs', 'hautkrebs',
        'lungenkrebs', 'darmkrebs', 'prostatakrebs', 'krebserkrankung*', 'krebstherapie', 'krebsvorsorge', 'krebspatient*',
        '*chemotherap*', 'tumor', 'leukämie', 'geschlechtskrankheit*', 'kondom*', 'demenz', 'multiple sklerose',
        'behinderung', 'medikament*', 'rezeptpflichtig*', 'blutdruckmessgerät*',
      ],
      it: [
        'gravidanza', 'gravidanze', 'incinta', 'test di gravidanza', 'contracce*', 'anticoncez*', 'pillola del giorno dopo',
        'aborto', 'fertilita', 'ovulazione', 'menopausa', 'disfunzione erettile', 'diabete', 'cancro', 'tumore',
        'chemioterap*', 'leucemia', 'malattie sessualmente trasmissibili', 'preservativo', 'preservativi', 'demenza',
        'sclerosi multipla', 'incontinenza', 'dialisi', 'disabilita', 'farmaco da prescrizione', 'sfigmomanometro',
      ],
      pt: [
        'gravidez', 'gravida', 'gravidas', 'teste de gravidez', 'anticoncep*', 'pilula do dia seguinte', 'aborto',
        'fertilidade', 'ovulacao', 'menopausa', 'disfuncao eretil', 'diabetes', 'insulina', 'cancer', 'cancro', 'tumor',
        'quimioterap*', 'leucemia', 'sida', 'preservativo', 'preservativos', 'camisinha', 'demencia', 'incontinencia',
        'dialise', 'medicamento*',
      ],
      nl: [
        '*zwanger*', 'prenataal', '*anticonceptie*', 'afterpil', 'abortus', 'miskraam', 'vruchtbaarheid', 'menopauze',
        '*erectiestoornis*', 'kanker', 'borstkanker', 'huidkanker', 'longkanker', 'darmkanker', 'chemotherapie', 'leukemie',
        'soa test', 'condoom', 'condooms', 'dementie', 'incontinentie', 'medicijn*', 'bloeddrukmeter*',
      ],
    },
    contentCategories: ['health', 'medical', 'pharmacy', 'maternity', 'pregnancy', 'fertility', 'sexual-health'],
    lifeEventTypes: ['pregnancy', 'illness', 'diagnosis', 'bereavement', 'disability'],
    exceptions: [
      // The Romance words for condom are one edit from the English preservative.
      'preservative', 'preservatives', 'preservative free', 'conservante', 'conservateur',
      // Spanish "embarrassing", one edit from embarazos.
      'embarazoso', 'embarazosa', 'embarazosos', 'embarazosas',
      'ontology', 'ontologie', 'ontologia', 'cancer horoscope', 'cancer zodiac', 'dementor*', 'insulinde*',
      // Benign words one edit from a term (scripts/sensitive-lexicon-audit.ts over seven dictionaries).
      'mediation', 'meditation', 'vergütung', 'vermutung', 'mesopause', 'fertilise', 'fertilize', 'fertilisa', 'fertiliza',
      'embaraçado', 'embaraçada', 'embaraço', 'desabilita', 'grossisse', 'grossisses',
    ],
  },
  'mental-health': {
    terms: {
      any: ['antidepress*', 'antidepresiv*', 'psychiatr*', 'psiquiatr*', 'psichiatr*', 'psychotherap*', 'psicoterap*',
        'schizophren*', 'esquizofreni*', 'schizofreni*', 'anorexi*', 'anoressi*', 'bulimi*', 'autism*', 'autistic', 'autiste',
        'autistisch*', 'autismo', 'adhd', 'ptsd',
        'xanax', 'prozac', 'zoloft', 'sertralin*', 'fluoxetin*'],
      en: ['depression', 'depressed', 'anxiety', 'anxiety disorder', 'panic attacks', 'mental health', 'mental illness',
        'bipolar disorder', 'eating disorder', 'self harm', 'suicidal', 'suicide prevention', 'suicide hotline',
        'addiction', 'alcoholism', 'alcoholics anonymous', 'drug addiction', 'therapy session*', 'psychologist'],
      es: ['depresion', 'ansiedad', 'salud mental', 'trastorno bipolar', 'trastorno alimentario', 'suicidio', 'autolesion',
        'adiccion', 'alcoholismo', 'psicologo', 'psicologa'],
      fr: ['depression', 'anxiete', 'sante mentale', 'trouble bipolaire', 'troubles alimentaires', 'suicide', 'automutilation',
        'alcoolisme', 'psychologue'],
      de: ['depression', 'depressionen', 'angststörung*', 'panikattacke*', 'psychische gesundheit', 'psychische erkrankung*',
        'bipolare störung', 'essstörung*', 'suizid*', 'selbstverletzung', 'alkoholismus', 'alkoholsucht', 'drogensucht',
        'spielsucht', 'psychologe', 'psychologin'],
      it: ['depressione', 'ansia', 'salute mentale', 'disturbo bipolare', 'disturbi alimentari', 'suicidio', 'autolesionismo',
        'alcolismo', 'dipendenza da', 'psicologo', 'psicologa'],
      pt: ['depressao', 'ansiedade', 'saude mental', 'transtorno bipolar', 'transtorno alimentar', 'suicidio', 'automutilacao',
        'alcoolismo', 'vicio em', 'psicologo', 'psicologa'],
      nl: ['depressie', 'angststoornis*', 'paniekaanval*', 'geestelijke gezondheid', 'psychische klachten', 'bipolaire stoornis',
        'eetstoornis*', 'zelfmoord*', 'zelfbeschadiging', 'alcoholisme', 'verslaving*', 'psycholoog'],
    },
    contentCategories: ['mental-health'],
    lifeEventTypes: [],
    exceptions: ['suicide squad', 'great depression', 'tropical depression', 'depression glass', 'dog anxiety', 'cat anxiety',
      'pet anxiety', 'anxiety vest', 'anxiety wrap',
      // One edit from a term (scripts/sensitive-lexicon-audit.ts).
      'addition', 'adduction', 'degression', 'degressie', 'depressa', 'alcoolise', 'alcoolisee', 'psychology', 'psychologie', 'psicologia'],
  },
  children: {
    // Products for babies are ordinary retail (and gifts); what is refused is the inference of a
    // birth, an adoption or a custody matter in the customer's family.
    terms: {
      en: ['newborn*', 'child custody', 'custody battle', 'foster care', 'adoption agency', 'adopt a child', 'child adoption',
        'child support', 'child protective services'],
      es: ['recien nacido', 'recien nacidos', 'custodia de menores', 'acogimiento familiar', 'adopcion de ninos', 'pension alimenticia'],
      fr: ['nouveau ne', 'nouveaux nes', 'garde d enfant*', 'famille d accueil', 'adoption d enfant', 'pension alimentaire'],
      de: ['neugeboren*', 'sorgerecht*', 'pflegefamilie', 'kinderadoption', 'unterhaltszahlung*'],
      it: ['neonato', 'neonati', 'neonata', 'affidamento dei figli', 'affido familiare', 'adozione di bambini'],
      pt: ['recem nascido', 'recem nascidos', 'guarda dos filhos', 'familia de acolhimento', 'adocao de criancas', 'pensao alimenticia'],
      nl: ['pasgeboren*', 'voogdij', 'pleeggezin', 'kinderalimentatie'],
    },
    contentCategories: [],
    lifeEventTypes: ['birth', 'baby', 'new-baby', 'adoption'],
  },
  'sex-life-or-orientation': {
    terms: {
      any: ['gay', 'gays', 'lesbi*', 'bisex*', 'biseks*', 'bisessual*', 'homosex*', 'homoseks*', 'homossex*', 'omosessual*',
        'transgend*', 'transgenre', 'transgenero', 'transsexu*', 'queer', 'lgbt', 'lgbtq', 'lgbtqia', 'lgbti', 'lgbtiq', 'lgtb',
        'lgtbi', 'glbt', 'nonbinary', 'genderqueer', 'intersex*', 'pansexu*', 'asexu*', 'drag queen', 'bdsm', 'fetish*', 'fetisch*',
        'fetiche', 'erotic*', 'erotik', 'erotisch*', 'porn', 'porno', 'pornograph*', 'pornograf*', 'dildo*', 'dating app'],
      en: ['sex toy', 'sex toys', 'adult toy', 'adult toys', 'sex shop', 'sexual', 'same sex marriage', 'same sex couple*',
        'non binary', 'gender transition', 'sex reassignment', 'chest binder', 'pride flag', 'gay pride'],
      es: ['juguete sexual', 'juguetes sexuales', 'sexual', 'sexuales', 'matrimonio igualitario', 'orgullo gay', 'no binario'],
      fr: ['sextoy*', 'jouet sexuel', 'sexuel*', 'mariage pour tous', 'non binaire'],
      de: ['schwul', 'schwule', 'schwulen', 'lesbisch*', 'sexspielzeug', 'sexuell*', 'ehe für alle', 'nicht binär'],
      it: ['giocattoli sessuali', 'sessual*', 'unioni civili', 'non binario'],
      pt: ['brinquedo sexual', 'brinquedos sexuais', 'sexual', 'sexuais', 'casamento igualitario', 'nao binario'],
      nl: ['seksspeeltje*', 'seksueel', 'seksuele', 'homohuwelijk', 'non binair'],
    },
    contentCategories: ['adult', 'lgbtq'],
    lifeEventTypes: ['coming-out', 'gender-transition'],
    exceptions: ['gay lussac', 'enola gay', 'john gay', 'roxane gay', 'peter gay', 'asexual reproduction', 'transgene'],
  },
  'religion-or-beliefs': {
    terms: {
      any: ['religi*', 'islam*', 'muslim*', 'musulman*', 'moslim*', 'catholic*', 'catolic*', 'cattolic*', 'kathol*',
        'protestant*', 'evangelical', 'quran', 'koran', 'coran', 'corano', 'alcorao', 'torah', 'thora', 'talmud', 'tanakh',
        'siddur', 'bhagavad gita', 'guru granth sahib', 'tripitaka', 'hindu', 'hindus', 'hinduis*', 'buddhis*', 'budis*', 'buddist*', 'sikh*',
        'judaism', 'judaica', 'atheis*', 'ateis*', 'scientolog*', 'mormon*', 'jehovah*', 'ramadan', 'eid mubarak', 'hijab*',
        'niqab', 'kippah', 'yarmulke', 'menorah', 'tallit', 'bar mitzvah', 'bat mitzvah', 'halal', 'kosher'],
      en: ['holy bible', 'bible study', 'bible verse*', 'bible stories', 'study bible', 'childrens bible', 'king james bible',
        'king james version', 'new testament', 'old testament', 'book of mormon', 'prayer', 'prayer book', 'prayer mat',
        'prayer rug', 'prayer beads', 'rosary', 'rosary beads', 'hymnal', 'hymn book', 'catechism', 'missal', 'church',
        'mosque', 'synagogue', 'hindu temple', 'buddhist temple', 'baptism', 'christening', 'first communion', 'crucifix',
        'jewish', 'christianity', 'christian books', 'spiritual retreat'],
      es: ['santa biblia', 'biblia catolica', 'biblia reina valera', 'nuevo testamento', 'antiguo testamento', 'libro de oraciones',
        'rosario catolico', 'iglesia', 'mezquita', 'sinagoga', 'bautismo', 'bautizo', 'primera comunion', 'crucifijo', 'judio',
        'judia', 'cristianismo'],
      fr: ['sainte bible', 'bible de jerusalem', 'nouveau testament', 'ancien testament', 'livre de prieres',
        'eglise', 'mosquee', 'synagogue', 'bapteme', 'premiere communion', 'crucifix', 'juif', 'juive', 'christianisme'],
      de: ['die bibel', 'heilige schrift', 'lutherbibel', 'kinderbibel', 'einheitsübersetzung', 'neues testament',
        'altes testament', 'gebetbuch', 'gebetsteppich', 'rosenkranz', 'gesangbuch', 'kirche', 'moschee', 'synagoge', 'taufe',
        'erstkommunion', 'konfirmation', 'kruzifix', 'jüdisch*', 'christentum', 'gottesdienst*'],
      it: ['sacra bibbia', 'nuovo testamento', 'antico testamento', 'libro di preghiere', 'preghiera', 'preghiere', 'chiesa',
        'moschea', 'sinagoga', 'battesimo', 'prima comunione', 'crocifisso', 'ebraico', 'ebraica', 'cristianesimo'],
      pt: ['biblia sagrada', 'santa biblia', 'novo testamento', 'antigo testamento', 'livro de oracoes', 'terco catolico',
        'igreja', 'mesquita', 'sinagoga', 'batismo', 'primeira comunhao', 'crucifixo', 'judeu', 'judaica', 'cristianismo'],
      nl: ['de bijbel', 'statenbijbel', 'kinderbijbel', 'nieuwe testament', 'oude testament', 'gebedenboek', 'gebedskleed',
        'rozenkrans', 'kerk', 'moskee', 'synagoge', 'doop', 'eerste communie', 'kruisbeeld', 'joods', 'joodse', 'christendom'],
    },
    contentCategories: ['religion', 'faith', 'spirituality'],
    lifeEventTypes: ['baptism', 'conversion'],
    exceptions: ['kosher salt', 'prayer plant', 'prayer plants', 'hindu kush', 'hindustan*', 'islamabad', 'church s',
      'church street', 'church road'],
  },
  'political-opinion': {
    terms: {
      any: ['politic*', 'politiq*', 'politisch*', 'politiek', 'politieke', 'democrat*', 'republican*', 'socialism', 'socialist', 'socialists',
        'socialismo', 'socialisme', 'sozialismus', 'communis*', 'kommunis*', 'fascis*', 'faschis*', 'anarchis*'],
      en: ['election', 'elections', 'political party', 'voter registration', 'campaign donation', 'protest', 'petition',
        'labour party', 'conservative party', 'green party', 'activism', 'activist'],
      es: ['elecciones', 'partido politico', 'manifestacion politica', 'militante'],
      fr: ['elections', 'parti politique', 'manifestation politique', 'militant'],
      de: ['bundestagswahl', 'landtagswahl', 'wahlkampf*', 'partei', 'parteimitglied*'],
      it: ['elezioni', 'partito politico', 'manifestazione politica'],
      pt: ['eleicoes', 'partido politico', 'manifestacao politica'],
      nl: ['verkiezing*', 'politieke partij'],
    },
    contentCategories: ['politics', 'political'],
    lifeEventTypes: [],
    exceptions: ['democratic republic of congo', 'protest the hero',
      // One edit from a term (scripts/sensitive-lexicon-audit.ts).
      'militate', 'politiele', 'socialise', 'socialisa', 'socialisee', 'socialisat', 'electron', 'electrons', 'ejection', 'ejections'],
  },
  'trade-union': {
    terms: {
      en: ['trade union', 'trade unions', 'labor union', 'labour union', 'union membership', 'union member', 'union dues', 'strike pay'],
      es: ['sindicato', 'sindicatos', 'afiliacion sindical', 'cuota sindical'],
      fr: ['syndicat de salaries', 'syndicat ouvrier', 'syndicaliste', 'adhesion syndicale', 'cotisation syndicale'],
      de: ['*gewerkschaft*', 'streikgeld'],
      it: ['sindacato', 'sindacati', 'iscrizione al sindacato', 'tessera sindacale'],
      pt: ['sindicato', 'sindicatos', 'filiacao sindical'],
      nl: ['*vakbond*', 'stakingsuitkering'],
    },
    contentCategories: ['trade-union'],
    lifeEventTypes: [],
  },
  'racial-or-ethnic-origin': {
    terms: {
      en: ['ethnicity', 'ethnicities', 'ethnic origin', 'ethnic group', 'racial', 'racial identity'],
      es: ['etnia', 'etnias', 'origen etnico', 'grupo etnico', 'origen racial'],
      fr: ['ethnie', 'origine ethnique', 'groupe ethnique', 'origine raciale'],
      de: ['ethnizität', 'ethnische herkunft', 'ethnische gruppe', 'rassische herkunft'],
      it: ['etnia', 'origine etnica', 'gruppo etnico', 'origine razziale'],
      pt: ['etnia', 'origem etnica', 'grupo etnico', 'origem racial'],
      nl: ['etniciteit', 'etnische afkomst', 'etnische groep'],
    },
    contentCategories: ['ethnicity'],
    lifeEventTypes: [],
  },
  'genetic-or-biometric': {
    terms: {
      any: ['23andme', 'ancestry dna', 'dna test*', 'dna kit', 'dna analys*', 'genome', 'genomes', 'genoma', 'genomas', 'genomic*', 'genomik', 'genoom', 'biometric data', 'gentest*'],
      en: ['genetic test', 'genetic tests', 'genetic testing', 'genetic analysis', 'paternity test'],
      es: ['prueba de adn', 'test de adn', 'prueba genetica', 'test genetico', 'prueba de paternidad'],
      fr: ['test adn', 'test genetique', 'analyse genetique', 'test de paternite'],
      de: ['vaterschaftstest*', 'genanalyse', 'genetischer test'],
      it: ['test del dna', 'test genetico', 'analisi genetica', 'test di paternita'],
      pt: ['teste de dna', 'exame de dna', 'teste genetico', 'teste de paternidade'],
      nl: ['dna onderzoek', 'genetische test', 'vaderschapstest'],
    },
    contentCategories: ['genetics'],
    lifeEventTypes: [],
  },
  'financial-hardship': {
    terms: {
      en: ['payday loan*', 'debt', 'debts', 'debt relief', 'debt consolidation', 'debt management', 'debt advice', 'debt collector',
        'debt collection', 'bankruptcy', 'bankrupt', 'insolvency', 'foreclosure', 'eviction', 'food bank', 'overdue bills',
        'loan default', 'bad credit', 'credit repair', 'pawnbroker', 'pawn shop', 'cash advance'],
      es: ['deuda', 'deudas', 'consolidacion de deudas', 'prestamo rapido', 'quiebra', 'desahucio', 'banco de alimentos',
        'moroso', 'morosos', 'casa de empeno'],
      fr: ['dette', 'dettes', 'rachat de credit*', 'surendettement', 'faillite', 'expulsion locative', 'banque alimentaire',
        'credit sans justificatif', 'huissier'],
      de: ['schulden*', 'schuldner*', 'privatinsolvenz', 'insolvenz*', 'zwangsräumung', 'ohne schufa', 'pfändung',
        'inkasso*', 'pfandhaus', 'pfandleih*'],
      it: ['debiti', 'consolidamento debiti', 'fallimento', 'sfratto', 'banco alimentare', 'prestito per cattivi pagatori',
        'cattivi pagatori', 'banco dei pegni'],
      pt: ['dividas', 'consolidacao de dividas', 'falencia', 'despejo', 'banco alimentar', 'nome sujo', 'emprestimo para negativado*',
        'negativado', 'negativados', 'casa de penhores'],
      nl: ['schulden', 'schuldhulp*', 'schuldsanering', 'faillissement', 'bijstand*', 'voedselbank', 'huisuitzetting',
        'incassobureau', 'pandjeshuis'],
    },
    contentCategories: ['debt', 'bankruptcy'],
    lifeEventTypes: ['job-loss', 'bankruptcy', 'divorce', 'eviction'],
    exceptions: ['schuldig', 'debt free', 'debt-free'],
  },
};

/** The lexicon as configuration: each category's terms of every language in one list. */
export function sensitiveFromLexicon(lexicon: Record<string, LexiconCategory>): Record<string, SensitiveCategory> {
  const out: Record<string, SensitiveCategory> = {};
  for (const [name, c] of Object.entries(lexicon)) {
    const terms = [...new Set(LEXICON_LANGUAGES.flatMap((lang) => c.terms[lang] ?? []))];
    out[name] = {
      terms,
      contentCategories: [...c.contentCategories],
      lifeEventTypes: [...c.lifeEventTypes],
      ...(c.exceptions ? { exceptions: [...c.exceptions] } : {}),
    };
  }
  return out;
}

export const defaultSensitive: Record<string, SensitiveCategory> = sensitiveFromLexicon(SENSITIVE_LEXICON);
