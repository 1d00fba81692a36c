/**
 * The widget's words in English and French. Every failure names its cause and what to do next;
 * the keys are the failure kinds the app can reach.
 */

export type Lang = 'en' | 'fr';

export type FailureKind =
  | 'config-missing'
  | 'config-invalid'
  | 'not-in-genesys'
  | 'parent-not-allowed'
  | 'login-denied'
  | 'login-failed'
  | 'genesys-unavailable'
  | 'no-room-name'
  | 'room-not-found'
  | 'room-ended'
  | 'agent-not-allowed'
  | 'agent-token-refused'
  | 'maxconf-unavailable'
  | 'camera-missing'
  | 'camera-denied'
  | 'camera-busy'
  | 'node-unreachable'
  | 'node-refused'
  | 'notifications-failed';

export type StatusKind =
  | 'starting'
  | 'signing-in'
  | 'finding-room'
  | 'waiting-answer'
  | 'joining'
  | 'in-call'
  | 'on-hold'
  | 'left-disconnected'
  | 'left-transferred'
  | 'reconnecting-notifications';

interface Failure {
  title: string;
  next: string;
}

export interface Words {
  appName: string;
  language: string;
  failures: Record<FailureKind, Failure>;
  status: Record<StatusKind, string>;
  citizenVideo: string;
  citizenPaused: string;
  selfView: string;
  cameraOn: string;
  cameraOff: string;
  cameraHeldByHold: string;
  camera: string;
  retry: string;
  timeInCall: string;
  connection: string;
  quality: { good: string; fair: string; poor: string; unknown: string };
  stats: (lossPercent: string, rttMs: string, frames: number) => string;
  detail: string;
}

export const WORDS: Record<Lang, Words> = {
  en: {
    appName: 'MaxConf video',
    language: 'Language',
    failures: {
      'config-missing': {
        title: 'The widget has no settings for this environment (config.json is missing).',
        next: 'Tell your supervisor or the MaxConf support team: the Agent App was deployed without its config.json.',
      },
      'config-invalid': {
        title: 'The widget’s settings (config.json) are not valid.',
        next: 'Tell the MaxConf support team; the detail below names the setting that is wrong.',
      },
      'not-in-genesys': {
        title: 'This page was opened without a Genesys conversation.',
        next: 'Open the video from the interaction in Genesys Cloud; the widget appears beside a video call.',
      },
      'parent-not-allowed': {
        title: 'This widget was opened from a page it does not trust.',
        next: 'Open it from Genesys Cloud’s agent desktop. If you did, tell the MaxConf support team the environment’s origin setting is wrong.',
      },
      'login-denied': {
        title: 'Genesys sign-in was refused, so the video cannot start.',
        next: 'Select Retry and accept the sign-in. If it is refused again, ask your supervisor to check that your role may use the MaxConf video app.',
      },
      'login-failed': {
        title: 'Genesys sign-in failed.',
        next: 'Select Retry. If it keeps failing, tell the MaxConf support team the error below.',
      },
      'genesys-unavailable': {
        title: 'Genesys Cloud did not answer.',
        next: 'Check your network, then select Retry. The phone call itself is not affected.',
      },
      'no-room-name': {
        title: 'This conversation has no video room (the caller has no room name).',
        next: 'This call did not come from a MaxConf video session. Handle it as a voice call.',
      },
      'room-not-found': {
        title: 'The video room for this call was not found.',
        next: 'The citizen’s session may have ended. Continue by voice, or ask the citizen to start a new video call.',
      },
      'room-ended': {
        title: 'The video room for this call has already been closed.',
        next: 'The citizen’s session is over. Continue by voice, or ask the citizen to start a new video call.',
      },
      'agent-not-allowed': {
        title: 'Your Genesys account is not allowed to join MaxConf video rooms.',
        next: 'Ask your supervisor to put your user in a division allowed for video calls, then select Retry.',
      },
      'agent-token-refused': {
        title: 'MaxConf did not accept your Genesys sign-in.',
        next: 'Select Retry to sign in again.',
      },
      'maxconf-unavailable': {
        title: 'The MaxConf service did not answer.',
        next: 'Select Retry in a moment. If it keeps failing, tell the MaxConf support team.',
      },
      'camera-missing': {
        title: 'No camera was found.',
        next: 'Connect a camera, then select Retry.',
      },
      'camera-denied': {
        title: 'The browser is not allowed to use your camera.',
        next: 'Allow the camera for Genesys Cloud in the browser’s site settings (the camera icon in the address bar), then select Retry.',
      },
      'camera-busy': {
        title: 'Your camera is in use by another application.',
        next: 'Close the other application using the camera (for example another video call), then select Retry.',
      },
      'node-unreachable': {
        title: 'The video conference server cannot be reached.',
        next: 'Check your network or VPN, then select Retry. The phone call itself is not affected.',
      },
      'node-refused': {
        title: 'The video conference server refused to let you in.',
        next: 'Select Retry. If it is refused again, tell the MaxConf support team.',
      },
      'notifications-failed': {
        title: 'The widget cannot follow the call in Genesys (notifications failed).',
        next: 'Select Retry. If it keeps failing, close other Genesys windows or apps and try again.',
      },
    },
    status: {
      starting: 'Starting…',
      'signing-in': 'Signing in to Genesys…',
      'finding-room': 'Finding the video room…',
      'waiting-answer': 'Waiting for you to answer the call.',
      joining: 'Joining the video…',
      'in-call': 'In video call.',
      'on-hold': 'Call on hold: the citizen hears the hold music and does not see you.',
      'left-disconnected': 'You have left the video. The call has ended for you.',
      'left-transferred': 'You have left the video: the call was transferred.',
      'reconnecting-notifications': 'Reconnecting to Genesys…',
    },
    citizenVideo: 'Citizen’s video',
    citizenPaused: 'Citizen’s video paused while the call is on hold',
    selfView: 'Your camera',
    cameraOn: 'Turn camera on',
    cameraOff: 'Turn camera off',
    cameraHeldByHold: 'Camera off while the call is on hold',
    camera: 'Camera',
    retry: 'Retry',
    timeInCall: 'Time in call',
    connection: 'Connection',
    quality: { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: 'Measuring' },
    stats: (loss, rtt, frames) => `loss ${loss} %, round trip ${rtt} ms, ${frames} frames decoded`,
    detail: 'Detail',
  },
  fr: {
    appName: 'Vidéo MaxConf',
    language: 'Langue',
    failures: {
      'config-missing': {
        title: 'Le widget n’a pas de paramètres pour cet environnement (config.json est absent).',
        next: 'Avisez votre superviseur ou l’équipe de soutien MaxConf : l’application Agent a été déployée sans son fichier config.json.',
      },
      'config-invalid': {
        title: 'Les paramètres du widget (config.json) ne sont pas valides.',
        next: 'Avisez l’équipe de soutien MaxConf; le détail ci-dessous nomme le paramètre erroné.',
      },
      'not-in-genesys': {
        title: 'Cette page a été ouverte sans conversation Genesys.',
        next: 'Ouvrez la vidéo à partir de l’interaction dans Genesys Cloud; le widget s’affiche à côté d’un appel vidéo.',
      },
      'parent-not-allowed': {
        title: 'Ce widget a été ouvert depuis une page à laquelle il ne fait pas confiance.',
        next: 'Ouvrez-le depuis le bureau de l’agent Genesys Cloud. Si c’est le cas, avisez l’équipe de soutien MaxConf que l’origine configurée est erronée.',
      },
      'login-denied': {
        title: 'La connexion à Genesys a été refusée; la vidéo ne peut pas démarrer.',
        next: 'Sélectionnez Réessayer et acceptez la connexion. Si elle est refusée de nouveau, demandez à votre superviseur de vérifier que votre rôle permet d’utiliser la vidéo MaxConf.',
      },
      'login-failed': {
        title: 'La connexion à Genesys a échoué.',
        next: 'Sélectionnez Réessayer. Si l’échec persiste, transmettez l’erreur ci-dessous à l’équipe de soutien MaxConf.',
      },
      'genesys-unavailable': {
        title: 'Genesys Cloud ne répond pas.',
        next: 'Vérifiez votre réseau, puis sélectionnez Réessayer. L’appel téléphonique n’est pas touché.',
      },
      'no-room-name': {
        title: 'Cette conversation n’a pas de salle vidéo (l’appelant n’a pas de nom de salle).',
        next: 'Cet appel ne provient pas d’une séance vidéo MaxConf. Traitez-le comme un appel vocal.',
      },
      'room-not-found': {
        title: 'La salle vidéo de cet appel est introuvable.',
        next: 'La séance du citoyen est peut-être terminée. Poursuivez de vive voix ou demandez au citoyen de lancer un nouvel appel vidéo.',
      },
      'room-ended': {
        title: 'La salle vidéo de cet appel est déjà fermée.',
        next: 'La séance du citoyen est terminée. Poursuivez de vive voix ou demandez au citoyen de lancer un nouvel appel vidéo.',
      },
      'agent-not-allowed': {
        title: 'Votre compte Genesys n’est pas autorisé à joindre les salles vidéo MaxConf.',
        next: 'Demandez à votre superviseur de placer votre utilisateur dans une division autorisée pour les appels vidéo, puis sélectionnez Réessayer.',
      },
      'agent-token-refused': {
        title: 'MaxConf n’a pas accepté votre connexion Genesys.',
        next: 'Sélectionnez Réessayer pour vous reconnecter.',
      },
      'maxconf-unavailable': {
        title: 'Le service MaxConf ne répond pas.',
        next: 'Sélectionnez Réessayer dans un instant. Si l’échec persiste, avisez l’équipe de soutien MaxConf.',
      },
      'camera-missing': {
        title: 'Aucune caméra n’a été trouvée.',
        next: 'Branchez une caméra, puis sélectionnez Réessayer.',
      },
      'camera-denied': {
        title: 'Le navigateur n’a pas la permission d’utiliser votre caméra.',
        next: 'Autorisez la caméra pour Genesys Cloud dans les paramètres du site du navigateur (l’icône de caméra dans la barre d’adresse), puis sélectionnez Réessayer.',
      },
      'camera-busy': {
        title: 'Votre caméra est utilisée par une autre application.',
        next: 'Fermez l’autre application qui utilise la caméra (par exemple un autre appel vidéo), puis sélectionnez Réessayer.',
      },
      'node-unreachable': {
        title: 'Le serveur de conférence vidéo est injoignable.',
        next: 'Vérifiez votre réseau ou votre RPV, puis sélectionnez Réessayer. L’appel téléphonique n’est pas touché.',
      },
      'node-refused': {
        title: 'Le serveur de conférence vidéo a refusé votre entrée.',
        next: 'Sélectionnez Réessayer. Si l’entrée est refusée de nouveau, avisez l’équipe de soutien MaxConf.',
      },
      'notifications-failed': {
        title: 'Le widget ne peut pas suivre l’appel dans Genesys (échec des notifications).',
        next: 'Sélectionnez Réessayer. Si l’échec persiste, fermez les autres fenêtres ou applications Genesys et réessayez.',
      },
    },
    status: {
      starting: 'Démarrage…',
      'signing-in': 'Connexion à Genesys…',
      'finding-room': 'Recherche de la salle vidéo…',
      'waiting-answer': 'En attente de votre réponse à l’appel.',
      joining: 'Connexion à la vidéo…',
      'in-call': 'Appel vidéo en cours.',
      'on-hold': 'Appel en attente : le citoyen entend la musique d’attente et ne vous voit pas.',
      'left-disconnected': 'Vous avez quitté la vidéo. L’appel est terminé pour vous.',
      'left-transferred': 'Vous avez quitté la vidéo : l’appel a été transféré.',
      'reconnecting-notifications': 'Reconnexion à Genesys…',
    },
    citizenVideo: 'Vidéo du citoyen',
    citizenPaused: 'Vidéo du citoyen en pause pendant l’attente',
    selfView: 'Votre caméra',
    cameraOn: 'Activer la caméra',
    cameraOff: 'Désactiver la caméra',
    cameraHeldByHold: 'Caméra désactivée pendant l’attente',
    camera: 'Caméra',
    retry: 'Réessayer',
    timeInCall: 'Durée de l’appel',
    connection: 'Connexion',
    quality: { good: 'Bonne', fair: 'Moyenne', poor: 'Faible', unknown: 'Mesure en cours' },
    stats: (loss, rtt, frames) => `perte ${loss} %, aller-retour ${rtt} ms, ${frames} images décodées`,
    detail: 'Détail',
  },
};

/** Genesys's `pcLangTag` is a BCP 47 tag (`fr-ca`, `en-us`); anything French is French. */
export function langOf(tag: string | null | undefined): Lang {
  return /^fr\b/i.test((tag ?? '').trim()) ? 'fr' : 'en';
}
