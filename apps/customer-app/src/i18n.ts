import type { EndedWording, WaitingStep } from './citizenState';

/** The citizen's words in English and French. Every failure says what happened and what to do. */

export type Lang = 'en' | 'fr';

export type FailureKind =
  | 'config-missing'
  | 'config-invalid'
  | 'link-invalid'
  | 'link-expired'
  | 'room-ended'
  | 'api-unavailable'
  | 'unsupported-browser'
  | 'permission-denied'
  | 'no-camera'
  | 'camera-in-use'
  | 'node-unreachable';

interface Failure {
  title: string;
  next: string;
}

export interface Words {
  appName: string;
  failures: Record<FailureKind, Failure>;
  retry: string;
  detail: string;
  closedTitle: string;
  opensAt: (when: string) => string;
  opensUnknown: string;
  closedNext: string;
  checkTitle: string;
  checkIntro: string;
  selfView: string;
  camera: string;
  microphone: string;
  speaker: string;
  micLevel: string;
  micHint: string;
  testSpeaker: string;
  playingTone: string;
  join: string;
  joining: string;
  waitingTitle: string;
  waitingStep: Record<WaitingStep, string>;
  position: (n: number) => string;
  wait: (minutes: number) => string;
  waitingHint: string;
  agentVideo: string;
  cameraOn: string;
  cameraOff: string;
  micOn: string;
  micOff: string;
  leave: string;
  leaving: string;
  connection: string;
  quality: { good: string; fair: string; poor: string; unknown: string };
  inCall: string;
  reconnecting: string;
  reconnectingHint: string;
  endedTitle: string;
  ended: Record<EndedWording, string>;
  endedNext: string;
  help: string;
}

export const WORDS: Record<Lang, Words> = {
  en: {
    appName: 'BC Services Card video call',
    failures: {
      'config-missing': { title: 'This page is not set up (its settings are missing).', next: 'Try again later. If it keeps happening, contact Service BC.' },
      'config-invalid': { title: 'This page’s settings are not valid.', next: 'Try again later. If it keeps happening, contact Service BC and give them the detail below.' },
      'link-invalid': { title: 'This call link is not valid.', next: 'Open the link exactly as you received it, or ask for a new video call in the BC Services Card app.' },
      'link-expired': { title: 'This call link has expired.', next: 'Ask for a new video call in the BC Services Card app; each link works for a short time only.' },
      'room-ended': { title: 'This video call has already ended.', next: 'Ask for a new video call in the BC Services Card app.' },
      'api-unavailable': { title: 'The video call service did not answer.', next: 'Check your internet connection, then select Retry.' },
      'unsupported-browser': { title: 'This browser cannot make video calls.', next: 'Open the link in a recent version of Chrome, Edge, Firefox or Safari.' },
      'permission-denied': { title: 'The browser is not allowed to use your camera and microphone.', next: 'Allow the camera and microphone for this site (the camera icon in the address bar), then select Retry.' },
      'no-camera': { title: 'No camera or microphone was found.', next: 'Connect a camera and a microphone (or use a phone or laptop that has them), then select Retry.' },
      'camera-in-use': { title: 'Your camera or microphone is in use by another application.', next: 'Close the other application using it (for example another video call), then select Retry.' },
      'node-unreachable': { title: 'The video server cannot be reached.', next: 'Check your internet connection (a work network or VPN may block video calls), then select Retry.' },
    },
    retry: 'Retry',
    detail: 'Detail for support',
    closedTitle: 'Video calls are closed right now.',
    opensAt: (when) => `Video calls open ${when}.`,
    opensUnknown: 'The opening time is not known.',
    closedNext: 'Come back then and open this page again.',
    checkTitle: 'Check your camera, microphone and speaker',
    checkIntro: 'You will be seen and heard by a Service BC agent. Check that your face is visible and that the level moves when you speak.',
    selfView: 'Your camera',
    camera: 'Camera',
    microphone: 'Microphone',
    speaker: 'Speaker',
    micLevel: 'Microphone level',
    micHint: 'Speak: the bar should move.',
    testSpeaker: 'Play a test sound',
    playingTone: 'Playing a test sound…',
    join: 'Join the video call',
    joining: 'Joining…',
    waitingTitle: 'Please wait',
    waitingStep: {
      connecting: 'You are connected. Your call is being placed.',
      calling: 'Calling Service BC…',
      queued: 'You are in line for the next available agent.',
    },
    position: (n) => (n === 1 ? 'You are next in line.' : `Your place in line: ${n}`),
    wait: (m) => `Estimated wait: about ${m} minute${m === 1 ? '' : 's'}`,
    waitingHint: 'Keep this page open. You will see the agent when they answer.',
    agentVideo: 'Agent’s video',
    cameraOn: 'Turn camera on',
    cameraOff: 'Turn camera off',
    micOn: 'Unmute microphone',
    micOff: 'Mute microphone',
    leave: 'Leave call',
    leaving: 'Leaving…',
    connection: 'Connection',
    quality: { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: 'Measuring' },
    inCall: 'You are in the call with a Service BC agent.',
    reconnecting: 'Connection lost. Reconnecting…',
    reconnectingHint: 'Keep this page open: you keep your place while the page reconnects.',
    endedTitle: 'The call has ended',
    ended: {
      completed: 'Your call with Service BC is finished. Thank you.',
      left: 'You left the call.',
      'no-show': 'The call ended because nobody joined it in time.',
      'no-agent': 'No agent could answer your call this time.',
      closed: 'Service BC could not take video calls at this time.',
      'not-connected': 'Your call could not be connected to Service BC.',
      'ended-by-service': 'Service BC ended the call.',
      'too-long': 'The call reached its maximum length and was ended.',
      expired: 'The call session expired.',
      dropped: 'Your connection was lost for too long, so the call ended.',
      unknown: 'The call has ended.',
    },
    endedNext: 'To try again, ask for a new video call in the BC Services Card app. You can close this page.',
    help: 'Get help',
  },
  fr: {
    appName: 'Appel vidéo de la carte Services BC',
    failures: {
      'config-missing': { title: 'Cette page n’est pas configurée (ses paramètres sont absents).', next: 'Réessayez plus tard. Si le problème persiste, communiquez avec Service BC.' },
      'config-invalid': { title: 'Les paramètres de cette page ne sont pas valides.', next: 'Réessayez plus tard. Si le problème persiste, communiquez avec Service BC en lui donnant le détail ci-dessous.' },
      'link-invalid': { title: 'Ce lien d’appel n’est pas valide.', next: 'Ouvrez le lien tel que vous l’avez reçu, ou demandez un nouvel appel vidéo dans l’application de la carte Services BC.' },
      'link-expired': { title: 'Ce lien d’appel a expiré.', next: 'Demandez un nouvel appel vidéo dans l’application de la carte Services BC; chaque lien n’est valide que peu de temps.' },
      'room-ended': { title: 'Cet appel vidéo est déjà terminé.', next: 'Demandez un nouvel appel vidéo dans l’application de la carte Services BC.' },
      'api-unavailable': { title: 'Le service d’appel vidéo ne répond pas.', next: 'Vérifiez votre connexion Internet, puis sélectionnez Réessayer.' },
      'unsupported-browser': { title: 'Ce navigateur ne peut pas faire d’appels vidéo.', next: 'Ouvrez le lien dans une version récente de Chrome, Edge, Firefox ou Safari.' },
      'permission-denied': { title: 'Le navigateur n’a pas la permission d’utiliser votre caméra et votre microphone.', next: 'Autorisez la caméra et le microphone pour ce site (l’icône de caméra dans la barre d’adresse), puis sélectionnez Réessayer.' },
      'no-camera': { title: 'Aucune caméra ni aucun microphone n’a été trouvé.', next: 'Branchez une caméra et un microphone (ou utilisez un téléphone ou un portable qui en a), puis sélectionnez Réessayer.' },
      'camera-in-use': { title: 'Votre caméra ou votre microphone est utilisé par une autre application.', next: 'Fermez l’autre application qui l’utilise (par exemple un autre appel vidéo), puis sélectionnez Réessayer.' },
      'node-unreachable': { title: 'Le serveur vidéo est injoignable.', next: 'Vérifiez votre connexion Internet (un réseau de travail ou un RPV peut bloquer les appels vidéo), puis sélectionnez Réessayer.' },
    },
    retry: 'Réessayer',
    detail: 'Détail pour le soutien',
    closedTitle: 'Les appels vidéo sont fermés en ce moment.',
    opensAt: (when) => `Les appels vidéo ouvrent ${when}.`,
    opensUnknown: 'L’heure d’ouverture n’est pas connue.',
    closedNext: 'Revenez à ce moment-là et ouvrez cette page de nouveau.',
    checkTitle: 'Vérifiez votre caméra, votre microphone et votre haut-parleur',
    checkIntro: 'Un agent de Service BC vous verra et vous entendra. Vérifiez que votre visage est visible et que le niveau bouge quand vous parlez.',
    selfView: 'Votre caméra',
    camera: 'Caméra',
    microphone: 'Microphone',
    speaker: 'Haut-parleur',
    micLevel: 'Niveau du microphone',
    micHint: 'Parlez : la barre devrait bouger.',
    testSpeaker: 'Faire jouer un son d’essai',
    playingTone: 'Son d’essai en cours…',
    join: 'Joindre l’appel vidéo',
    joining: 'Connexion…',
    waitingTitle: 'Veuillez patienter',
    waitingStep: {
      connecting: 'Vous êtes connecté. Votre appel est en cours d’acheminement.',
      calling: 'Appel de Service BC en cours…',
      queued: 'Vous êtes en file d’attente pour le prochain agent disponible.',
    },
    position: (n) => (n === 1 ? 'Vous êtes le prochain dans la file.' : `Votre place dans la file : ${n}`),
    wait: (m) => `Attente estimée : environ ${m} minute${m === 1 ? '' : 's'}`,
    waitingHint: 'Gardez cette page ouverte. Vous verrez l’agent quand il répondra.',
    agentVideo: 'Vidéo de l’agent',
    cameraOn: 'Activer la caméra',
    cameraOff: 'Désactiver la caméra',
    micOn: 'Réactiver le microphone',
    micOff: 'Couper le microphone',
    leave: 'Quitter l’appel',
    leaving: 'Départ…',
    connection: 'Connexion',
    quality: { good: 'Bonne', fair: 'Moyenne', poor: 'Faible', unknown: 'Mesure en cours' },
    inCall: 'Vous êtes en appel avec un agent de Service BC.',
    reconnecting: 'Connexion perdue. Reconnexion…',
    reconnectingHint: 'Gardez cette page ouverte : vous gardez votre place pendant la reconnexion.',
    endedTitle: 'L’appel est terminé',
    ended: {
      completed: 'Votre appel avec Service BC est terminé. Merci.',
      left: 'Vous avez quitté l’appel.',
      'no-show': 'L’appel a pris fin parce que personne ne l’a joint à temps.',
      'no-agent': 'Aucun agent n’a pu répondre à votre appel cette fois-ci.',
      closed: 'Service BC ne pouvait pas prendre d’appels vidéo à ce moment.',
      'not-connected': 'Votre appel n’a pas pu être acheminé à Service BC.',
      'ended-by-service': 'Service BC a mis fin à l’appel.',
      'too-long': 'L’appel a atteint sa durée maximale et a pris fin.',
      expired: 'La séance d’appel a expiré.',
      dropped: 'Votre connexion a été perdue trop longtemps; l’appel a pris fin.',
      unknown: 'L’appel est terminé.',
    },
    endedNext: 'Pour réessayer, demandez un nouvel appel vidéo dans l’application de la carte Services BC. Vous pouvez fermer cette page.',
    help: 'Obtenir de l’aide',
  },
};

export function langOf(tag: string | null | undefined): Lang {
  return /^fr\b/i.test((tag ?? '').trim()) ? 'fr' : 'en';
}

/** "Monday at 7:30 a.m." in the queue's time zone, in the page's language. */
export function formatOpening(at: Date, lang: Lang, timeZone: string): string {
  const locale = lang === 'fr' ? 'fr-CA' : 'en-CA';
  const text = new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(at);
  return lang === 'fr' ? `le ${text}` : `on ${text}`;
}
